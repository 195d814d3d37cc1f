/**
 * The message catalogue. English is the reference shape; German and French are typed against it, so
 * a missing or extra key is a compile error (and test/unit/i18n.test.ts checks parity at run time,
 * including the {placeholders} each message uses).
 */
import { dublinDe, dublinEn, dublinFr } from './dublin.ts'
import { flowsDe } from './flows-de.ts'
import { flowsEn } from './flows-en.ts'
import { flowsFr } from './flows-fr.ts'
import { monitorDe } from './monitor-de.ts'
import { monitorEn } from './monitor-en.ts'
import { monitorFr } from './monitor-fr.ts'

export const languages = ['de', 'fr', 'en'] as const
export type Language = (typeof languages)[number]

/** German first: the pilot's staff are mostly at German authorities. */
export const defaultLanguage: Language = 'de'

/** Each language names itself, so a reader finds their language whatever is shown. */
export const languageNames: Record<Language, string> = { de: 'Deutsch', fr: 'Français', en: 'English' }

const en = {
  tagline: 'Asylum-procedure milestones as verifiable credentials',
  skipToContent: 'Skip to main content',
  languageLabel: 'Language',
  homeTitle: 'Start',
  homeHeading: 'Milestones of the asylum procedure, shared as verifiable credentials',
  homeIntro:
    'FLORA-VC lets authorities record the milestones of an asylum procedure as signed credentials in a case wallet, and lets the Dublin unit of another Member State verify them — without exchanging personal files.',
  workspacesHeading: 'Workspaces',
  workspaceAuthorityTitle: 'Authority staff',
  workspaceAuthorityText:
    'Open a case, see its milestones as a timeline, receive credentials into the case wallet and record the milestones your authority is accredited for.',
  workspaceVerifierTitle: 'Dublin verifier',
  workspaceVerifierText:
    'Request evidence for a case, check every credential and read the Dublin assessment with its deadlines.',
  workspaceAdminTitle: 'Administration',
  workspaceAdminText: 'Manage authorities, staff accounts and access to cases for this pilot deployment.',
  signInHeading: 'Sign in',
  footerSynthetic: 'Synthetic test data — pilot',
  errorStatus: 'Error {status}',
  errorNotFoundTitle: 'Page not found',
  errorNotFoundText: 'There is no page at this address. Check the address or go to the start page.',
  errorGenericTitle: 'Something went wrong',
  errorGenericText:
    'The page could not be shown. Please try again. If it happens again, give the reference below to your support contact.',
  errorReference: 'Reference: {id}',
  backToStart: 'Go to the start page',
  ...flowsEn,
  ...dublinEn,
  ...monitorEn,
}

export type MessageKey = keyof typeof en
export type Messages = Record<MessageKey, string>

const de: Messages = {
  tagline: 'Meilensteine des Asylverfahrens als überprüfbare Nachweise',
  skipToContent: 'Zum Hauptinhalt springen',
  languageLabel: 'Sprache',
  homeTitle: 'Start',
  homeHeading: 'Meilensteine des Asylverfahrens, geteilt als überprüfbare Nachweise',
  homeIntro:
    'Mit FLORA-VC halten Behörden die Meilensteine eines Asylverfahrens als signierte Nachweise in der Wallet eines Falls fest, und die Dublin-Stelle eines anderen Mitgliedstaats kann sie prüfen – ohne Personalakten auszutauschen.',
  workspacesHeading: 'Arbeitsbereiche',
  workspaceAuthorityTitle: 'Behördenpersonal',
  workspaceAuthorityText:
    'Einen Fall öffnen, seine Meilensteine als Zeitleiste sehen, Nachweise in die Wallet des Falls übernehmen und die Meilensteine erfassen, für die Ihre Behörde akkreditiert ist.',
  workspaceVerifierTitle: 'Dublin-Prüfstelle',
  workspaceVerifierText:
    'Nachweise zu einem Fall anfordern, jeden Nachweis prüfen und die Dublin-Bewertung mit ihren Fristen lesen.',
  workspaceAdminTitle: 'Administration',
  workspaceAdminText:
    'Behörden, Konten der Mitarbeitenden und Zugriffe auf Fälle dieser Pilotinstallation verwalten.',
  signInHeading: 'Anmelden',
  footerSynthetic: 'Synthetische Testdaten – Pilotbetrieb',
  errorStatus: 'Fehler {status}',
  errorNotFoundTitle: 'Seite nicht gefunden',
  errorNotFoundText:
    'Unter dieser Adresse gibt es keine Seite. Prüfen Sie die Adresse oder gehen Sie zur Startseite.',
  errorGenericTitle: 'Ein Fehler ist aufgetreten',
  errorGenericText:
    'Die Seite konnte nicht angezeigt werden. Bitte versuchen Sie es erneut. Tritt der Fehler wieder auf, nennen Sie Ihrer Ansprechperson die folgende Referenz.',
  errorReference: 'Referenz: {id}',
  backToStart: 'Zur Startseite',
  ...flowsDe,
  ...dublinDe,
  ...monitorDe,
}

const fr: Messages = {
  tagline: 'Les étapes de la procédure d’asile sous forme d’attestations vérifiables',
  skipToContent: 'Aller au contenu principal',
  languageLabel: 'Langue',
  homeTitle: 'Accueil',
  homeHeading: 'Les étapes de la procédure d’asile, partagées sous forme d’attestations vérifiables',
  homeIntro:
    'FLORA-VC permet aux autorités d’enregistrer les étapes d’une procédure d’asile sous forme d’attestations signées dans le portefeuille d’un dossier, et à l’unité Dublin d’un autre État membre de les vérifier — sans échanger de dossiers personnels.',
  workspacesHeading: 'Espaces de travail',
  workspaceAuthorityTitle: 'Agents des autorités',
  workspaceAuthorityText:
    'Ouvrir un dossier, voir ses étapes sur une frise chronologique, recevoir des attestations dans le portefeuille du dossier et enregistrer les étapes pour lesquelles votre autorité est accréditée.',
  workspaceVerifierTitle: 'Vérificateur Dublin',
  workspaceVerifierText:
    'Demander des preuves pour un dossier, contrôler chaque attestation et lire l’évaluation Dublin avec ses délais.',
  workspaceAdminTitle: 'Administration',
  workspaceAdminText:
    'Gérer les autorités, les comptes des agents et l’accès aux dossiers de ce déploiement pilote.',
  signInHeading: 'Connexion',
  footerSynthetic: 'Données de test synthétiques — pilote',
  errorStatus: 'Erreur {status}',
  errorNotFoundTitle: 'Page introuvable',
  errorNotFoundText:
    'Il n’y a pas de page à cette adresse. Vérifiez l’adresse ou revenez à la page d’accueil.',
  errorGenericTitle: 'Une erreur s’est produite',
  errorGenericText:
    'La page n’a pas pu être affichée. Veuillez réessayer. Si l’erreur se reproduit, communiquez la référence ci-dessous à votre contact d’assistance.',
  // French typography puts a (non-breaking) space before the colon.
  errorReference: 'Référence\u00a0: {id}',
  backToStart: 'Retour à la page d’accueil',
  ...flowsFr,
  ...dublinFr,
  ...monitorFr,
}

export const catalogue: Record<Language, Messages> = { de, fr, en }

/** The message for `key` in `language`, with `{name}` placeholders filled in. */
export function t(language: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return catalogue[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  )
}

/** Report texts in the three working languages. Reason codes without an entry show the code. */
export type Lang = 'fr' | 'de' | 'en'
export const langs: Lang[] = ['fr', 'de', 'en']

type Texts = Record<Lang, string>

export const statement: Texts = {
  fr: "Ce rapport appuie l'échange par DubliNet mais ne le remplace pas : les requêtes, réponses et notifications au titre du règlement Dublin restent transmises par DubliNet (art. 15 du règlement (CE) 1560/2003).",
  de: 'Dieser Bericht unterstützt den Austausch über DubliNet, ersetzt ihn aber nicht: Gesuche, Antworten und Mitteilungen nach der Dublin-Verordnung werden weiterhin über DubliNet übermittelt (Art. 15 VO (EG) 1560/2003).',
  en: 'This report supports but does not replace the DubliNet exchange: requests, replies and notifications under the Dublin Regulation are still transmitted through DubliNet (Art. 15 Reg. (EC) 1560/2003).',
}

export const labels: Record<string, Texts> = {
  title: { fr: 'Rapport de vérification', de: 'Prüfbericht', en: 'Verification report' },
  verdict: { fr: 'Résultat', de: 'Ergebnis', en: 'Verdict' },
  valid: { fr: 'valide', de: 'gültig', en: 'valid' },
  invalid: { fr: 'non valide', de: 'ungültig', en: 'invalid' },
  indeterminate: { fr: 'indéterminé', de: 'nicht feststellbar', en: 'indeterminate' },
  credential: { fr: 'Attestation', de: 'Nachweis', en: 'Credential' },
  presentation: { fr: 'Présentation', de: 'Präsentation', en: 'Presentation' },
  issuer: { fr: 'Émetteur', de: 'Aussteller', en: 'Issuer' },
  checkedAt: { fr: 'Vérifié le', de: 'Geprüft am', en: 'Checked at' },
  statusAge: { fr: 'Âge des données de statut', de: 'Alter der Statusdaten', en: 'Age of the status data' },
  dublin: { fr: 'Évaluation Dublin', de: 'Dublin-Bewertung', en: 'Dublin assessment' },
  facts: { fr: 'Faits établis', de: 'Festgestellte Tatsachen', en: 'Established facts' },
  seconds: { fr: 's', de: 's', en: 's' },
  failingStep: { fr: 'Étape en échec', de: 'Fehlgeschlagener Schritt', en: 'Failing step' },
  evidence: { fr: 'Éléments de confiance', de: 'Vertrauensnachweise', en: 'Trust evidence' },
  accreditationChains: { fr: "Chaînes d'accréditation", de: 'Akkreditierungsketten', en: 'Accreditation chains' },
  statusLists: { fr: 'Listes de statut', de: 'Statuslisten', en: 'Status lists' },
  anchors: { fr: 'Ancrages sur le registre', de: 'Verankerungen im Ledger', en: 'Ledger anchors' },
  asOf: { fr: 'Date de référence', de: 'Stichtag', en: 'As of' },
  timeZone: { fr: 'fuseau horaire', de: 'Zeitzone', en: 'time zone' },
  asOfFixedAt: {
    fr: 'fixée à la création de la demande, le',
    de: 'festgelegt bei Erstellung der Anfrage am',
    en: 'fixed when the request was created, at',
  },
  dublinStatus: { fr: 'Statut', de: 'Status', en: 'Status' },
  statusAsOf: { fr: 'statut établi au', de: 'Status festgestellt zum', en: 'status established as of' },
  responsibleState: { fr: 'État membre responsable', de: 'Zuständiger Mitgliedstaat', en: 'Responsible member state' },
  deadlines: { fr: 'Délais', de: 'Fristen', en: 'Deadlines' },
  missingFacts: { fr: 'Faits manquants', de: 'Fehlende Tatsachen', en: 'Missing facts' },
  none: { fr: 'aucun', de: 'keine', en: 'none' },
  source: { fr: 'Source', de: 'Quelle', en: 'Source' },
  verifierParty: { fr: 'Vérificateur', de: 'Prüfstelle', en: 'Verifier' },
  'role-requesting': { fr: 'État requérant', de: 'ersuchender Staat', en: 'requesting state' },
  'role-requested': { fr: 'État requis', de: 'ersuchter Staat', en: 'requested state' },
  'role-none': { fr: "pas partie à l'affaire", de: 'nicht am Verfahren beteiligt', en: 'not a party to the case' },
  completeChain: { fr: 'Chaîne complète', de: 'Vollständige Kette', en: 'Complete chain' },
  completeChainOff: {
    fr: 'non appliquée (aucune juridiction configurée)',
    de: 'nicht angewandt (keine Rechtsordnung konfiguriert)',
    en: 'not applied (no jurisdiction configured)',
  },
  completeChainBroken: {
    fr: "non appliquée : la chaîne présentée n'est pas ininterrompue depuis la première attestation",
    de: 'nicht angewandt: die vorgelegte Kette ist nicht lückenlos ab dem ersten Nachweis',
    en: 'not applied: the presented chain is not unbroken from the first credential',
  },
  completeChainApplied: { fr: 'appliquée', de: 'angewandt', en: 'applied' },
  completeChainCommitment: {
    fr: "Les faits marqués « chaîne complète » reposent sur un engagement du déploiement, non sur les attestations : les émetteurs de la juridiction versent chaque étape enregistrée dans la chaîne du dossier, dans l'ordre d'enregistrement et dans le délai d'enregistrement. Une étape enregistrée mais jamais versée (offre retirée tardivement ou jamais) ne laisse aucune lacune visible dans la chaîne.",
    de: 'Die mit „vollständige Kette“ gekennzeichneten Tatsachen beruhen auf einer Zusage des Betriebs, nicht auf Nachweisen: die Aussteller der Rechtsordnung liefern jeden erfassten Verfahrensschritt in Erfassungsreihenfolge und innerhalb der Erfassungsfrist in die Kette des Verfahrens. Ein erfasster, aber nie gelieferter Schritt (ein spät oder nie abgerufenes Angebot) hinterlässt keine sichtbare Lücke in der Kette.',
    en: 'The facts marked “complete chain” rest on a deployment commitment, not on credentials: the jurisdiction’s issuers deliver every recorded milestone into the case’s chain, in recording order, within the recording delay. A milestone recorded but never delivered (an offer redeemed late, or never) leaves no gap the chain could show.',
  },
  unusedAttestations: {
    fr: 'Attestations d’absence non utilisées',
    de: 'Nicht verwendete Bescheinigungen des Nichtvorliegens',
    en: 'Absence attestations not used',
  },
  issuerState: { fr: "État de l'émetteur", de: 'Staat des Ausstellers', en: 'Issuer’s state' },
  requestingState: { fr: 'État requérant', de: 'Ersuchender Staat', en: 'Requesting state' },
  reason: { fr: 'Motif', de: 'Grund', en: 'Reason' },
  noAssessment: {
    fr: "Aucune évaluation : les faits présentés ne suffisent pas.",
    de: 'Keine Bewertung: die vorgelegten Tatsachen reichen nicht aus.',
    en: 'No assessment: the presented facts do not suffice.',
  },
}

export const stepLabels: Record<string, Texts> = {
  'jwt-header': { fr: 'JWT et en-tête', de: 'JWT und Header', en: 'JWT and header' },
  'issuer-signature': { fr: "DID de l'émetteur et signature", de: 'DID des Ausstellers und Signatur', en: 'Issuer DID and signature' },
  'validity-window': { fr: 'Période de validité', de: 'Gültigkeitszeitraum', en: 'Validity window' },
  schema: { fr: 'Schéma (TSR)', de: 'Schema (TSR)', en: 'Schema (TSR)' },
  accreditation: { fr: "Chaîne d'accréditation", de: 'Akkreditierungskette', en: 'Accreditation chain' },
  status: { fr: 'Statut (révocation, suspension)', de: 'Status (Widerruf, Aussetzung)', en: 'Status (revocation, suspension)' },
  anchoring: { fr: 'Ancrage sur le registre', de: 'Verankerung im Ledger', en: 'Ledger anchoring' },
  'holder-binding': { fr: 'Lien avec le détenteur', de: 'Bindung an den Inhaber', en: 'Holder binding' },
  'case-consistency': { fr: 'Cohérence du dossier', de: 'Konsistenz des Falls', en: 'Case consistency' },
  'subject-binding': { fr: 'Lien avec la personne (Eurodac)', de: 'Bindung an die Person (Eurodac)', en: 'Subject binding (Eurodac)' },
  dublin: { fr: 'Évaluation Dublin', de: 'Dublin-Bewertung', en: 'Dublin assessment' },
}

export const outcomeLabels: Record<string, Texts> = {
  passed: { fr: 'réussi', de: 'bestanden', en: 'passed' },
  failed: { fr: 'échec', de: 'nicht bestanden', en: 'failed' },
  pending: { fr: 'en attente', de: 'ausstehend', en: 'pending' },
  'not-established': { fr: 'non établi', de: 'nicht feststellbar', en: 'cannot be established' },
}

export const reasonLabels: Record<string, Texts> = {
  ok: { fr: 'conforme', de: 'in Ordnung', en: 'in order' },
  expired: { fr: "l'attestation a expiré", de: 'der Nachweis ist abgelaufen', en: 'the credential has expired' },
  'not-yet-valid': { fr: "l'attestation n'est pas encore valide", de: 'der Nachweis ist noch nicht gültig', en: 'the credential is not yet valid' },
  revoked: { fr: "l'attestation est révoquée", de: 'der Nachweis ist widerrufen', en: 'the credential is revoked' },
  suspended: { fr: "l'attestation est suspendue", de: 'der Nachweis ist ausgesetzt', en: 'the credential is suspended' },
  'signature-invalid': { fr: 'signature invalide', de: 'Signatur ungültig', en: 'signature does not verify' },
  'status-unavailable': { fr: 'liste de statut inaccessible', de: 'Statusliste nicht erreichbar', en: 'the status list cannot be fetched' },
  'ledger-unavailable': { fr: 'registre inaccessible', de: 'Ledger nicht erreichbar', en: 'the ledger cannot be reached' },
  'root-not-anchored': { fr: "lot pas encore ancré", de: 'Stapel noch nicht verankert', en: 'the batch is not anchored yet' },
  'proof-missing': { fr: "preuve d'ancrage absente", de: 'Verankerungsnachweis fehlt', en: 'no anchoring proof presented' },
  'proof-invalid': { fr: "preuve d'ancrage falsifiée", de: 'Verankerungsnachweis manipuliert', en: 'the anchoring proof does not verify' },
  'chain-gap': { fr: 'lacune dans la chaîne des étapes', de: 'Lücke in der Kette der Schritte', en: 'gap in the chain of milestones' },
  'holder-mismatch': { fr: 'détenteur différent', de: 'anderer Inhaber', en: 'the holder is not the subject' },
  'audience-mismatch': { fr: 'destinataire erroné', de: 'falscher Empfänger', en: 'wrong audience' },
  'nonce-replayed': { fr: 'nonce rejoué', de: 'Nonce wiederverwendet', en: 'replayed nonce' },
  'no-reference-entered': { fr: 'aucune référence Eurodac saisie', de: 'keine Eurodac-Referenz eingegeben', en: 'no Eurodac reference entered' },
  'commitment-mismatch': { fr: 'la référence Eurodac ne correspond pas', de: 'die Eurodac-Referenz stimmt nicht überein', en: 'the Eurodac reference does not match' },
  'accreditation-revoked': { fr: 'accréditation révoquée', de: 'Akkreditierung widerrufen', en: 'accreditation revoked' },
  'accreditation-type-not-covered': { fr: "émetteur non accrédité pour ce type", de: 'Aussteller für diesen Typ nicht akkreditiert', en: 'issuer not accredited for this type' },
  'schema-violation': { fr: 'non conforme au schéma', de: 'entspricht nicht dem Schema', en: 'violates its schema' },
  'status-list-invalid': { fr: 'liste de statut non fiable', de: 'Statusliste nicht vertrauenswürdig', en: 'the status list is not the issuer’s' },
  'key-not-in-assertion-method': { fr: "clé inconnue à cette date", de: 'Schlüssel zu diesem Zeitpunkt unbekannt', en: 'key not valid for the issuer at that time' },
  'no-presentation': { fr: 'pas de présentation', de: 'keine Präsentation', en: 'not a presentation' },
  'status-entry-missing': {
    fr: "aucune entrée de statut : l'émetteur ne pourrait ni la révoquer ni la suspendre",
    de: 'kein Statuseintrag: der Aussteller könnte den Nachweis weder widerrufen noch aussetzen',
    en: 'no status entry: the issuer could neither revoke nor suspend it',
  },
  'no-trusted-anchorer': {
    fr: "aucune entité de confiance pour l'ancrage n'est configurée",
    de: 'kein vertrauenswürdiger Verankerer konfiguriert',
    en: 'no trusted anchorer is configured',
  },
  'absence-as-of-after-issuance': {
    fr: "l'absence est attestée au-delà du jour d'émission",
    de: 'das Nichtvorliegen wird über den Ausstellungstag hinaus bescheinigt',
    en: 'the absence is attested beyond the day of issuance',
  },
  'declaration-outside-role': {
    fr: "fait déclaré pour un rôle que l'État du vérificateur n'a pas dans l'affaire",
    de: 'erklärte Tatsache für eine Rolle, die der Staat der Prüfstelle im Verfahren nicht hat',
    en: 'a fact declared for a role the verifier’s state does not hold in the case',
  },
  'facts-conflict': { fr: 'faits contradictoires', de: 'widersprüchliche Tatsachen', en: 'conflicting facts' },
  'facts-incomplete': { fr: 'faits incohérents ou incomplets', de: 'Tatsachen widersprüchlich oder unvollständig', en: 'facts inconsistent or incomplete' },
  'insufficient-evidence': { fr: 'preuves insuffisantes', de: 'Nachweise unzureichend', en: 'insufficient evidence' },
  'anchorer-untrusted': {
    fr: "ancré par une entité qui n'est pas de confiance",
    de: 'von einer nicht vertrauenswürdigen Stelle verankert',
    en: 'anchored by a party that is not trusted to anchor',
  },
}

/** How each source of a fact reads; {n}, {issuer}, {day}, {state} are filled in. */
/** Why an absence attestation's facts were not used (docs/DUBLIN-ABSENCE.md §3(a)). */
export const unusedReasonLabels: Record<string, Texts> = {
  'issuer-not-of-requesting-state': {
    fr: "l'émetteur est une autorité d'un autre État que l'État requérant",
    de: 'der Aussteller ist eine Behörde eines anderen Staates als des ersuchenden Staates',
    en: 'the issuer is an authority of another state than the requesting state',
  },
  'issuer-state-unknown': {
    fr: "l'accréditation de l'émetteur ne le rattache à aucun État",
    de: 'die Akkreditierung des Ausstellers bindet ihn an keinen Staat',
    en: 'the issuer’s accreditation binds it to no state',
  },
  'requesting-state-unknown': {
    fr: "l'État requérant n'est pas établi sans ambiguïté",
    de: 'der ersuchende Staat steht nicht eindeutig fest',
    en: 'the requesting state is not established unambiguously',
  },
}

export const sourceLabels: Record<string, Texts> = {
  credential: { fr: 'attestation {n}', de: 'Nachweis {n}', en: 'credential {n}' },
  'absence-attestation': {
    fr: "absence attestée par {issuer} jusqu'au {day}",
    de: 'Nichtvorliegen bescheinigt von {issuer} bis {day}',
    en: 'absence attested by {issuer} up to {day}',
  },
  'complete-chain': {
    fr: "chaîne complète, jusqu'au {day} (repose sur l'engagement du déploiement, voir ci-dessus)",
    de: 'vollständige Kette, bis {day} (beruht auf der Zusage des Betriebs, siehe oben)',
    en: 'complete chain up to {day} (rests on the deployment commitment, see above)',
  },
  'declared-by-verifier': {
    fr: 'déclaré par le vérificateur ({state})',
    de: 'von der Prüfstelle erklärt ({state})',
    en: 'declared by the verifier ({state})',
  },
}

/** Names of the deadlines and dates of the assessment. */
export const deadlineLabels: Record<string, Texts> = {
  requestDeadline: { fr: 'Délai de requête', de: 'Frist für das Gesuch', en: 'Request deadline' },
  replyDeadline: { fr: 'Délai de réponse', de: 'Antwortfrist', en: 'Reply deadline' },
  deemedAcceptedFrom: { fr: 'Acceptation implicite à partir du', de: 'Stillschweigende Zustimmung ab', en: 'Deemed accepted from' },
  reexaminationRequestDeadline: { fr: 'Délai de demande de réexamen', de: 'Frist für die Remonstration', en: 'Re-examination request deadline' },
  reexaminationReplyDeadline: { fr: 'Délai de réponse au réexamen', de: 'Antwortfrist der Remonstration', en: 'Re-examination reply deadline' },
  transferDecisionDeadline: { fr: 'Délai de décision de transfert', de: 'Frist für die Überstellungsentscheidung', en: 'Transfer decision deadline' },
  transferPeriodStart: { fr: 'Début du délai de transfert', de: 'Beginn der Überstellungsfrist', en: 'Transfer period start' },
  transferDeadline: { fr: 'Délai de transfert', de: 'Überstellungsfrist', en: 'Transfer deadline' },
  detentionTransferDeadline: { fr: 'Délai de transfert (rétention)', de: 'Überstellungsfrist (Haft)', en: 'Transfer deadline (detention)' },
  verifierTakeBackRequestDeadline: { fr: 'Délai de requête aux fins de reprise (vérificateur)', de: 'Frist für ein Wiederaufnahmegesuch (Prüfstelle)', en: 'Take back request deadline (verifier)' },
  requestingStateResponsibleFrom: { fr: "État requérant responsable à partir du", de: 'Ersuchender Staat zuständig ab', en: 'Requesting state responsible from' },
}

export const t = (table: Record<string, Texts>, key: string, lang: Lang) => table[key]?.[lang] ?? key

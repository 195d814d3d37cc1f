import type { Language } from './messages.ts'

/** Labels of milestone claims (the schema's property names), per language. */
const labels: Record<string, [en: string, de: string, fr: string]> = {
  milestoneDate: ['Date of the milestone', 'Datum des Meilensteins', 'Date de l’étape'],
  referralIssued: ['Referral issued', 'Anlaufbescheinigung ausgestellt', 'Orientation délivrée'],
  allocatedLand: ['Allocated Land', 'Zugewiesenes Land', 'Land attribué'],
  apprehendedAtExternalBorder: ['Apprehended at the external border', 'An der Außengrenze aufgegriffen', 'Interpellé à la frontière extérieure'],
  certificateIssued: ['Certificate issued', 'Bescheinigung ausgestellt', 'Certificat délivré'],
  certificateIssuedOn: ['Certificate issued on', 'Bescheinigung ausgestellt am', 'Certificat délivré le'],
  biometricsCaptured: ['Biometrics captured', 'Biometrie erfasst', 'Données biométriques relevées'],
  eurodacTransmitted: ['Transmitted to Eurodac', 'An Eurodac übermittelt', 'Transmis à Eurodac'],
  eurodacTransmittedOn: ['Transmitted to Eurodac on', 'An Eurodac übermittelt am', 'Transmis à Eurodac le'],
  examinationDone: ['Examination done', 'Untersuchung durchgeführt', 'Examen effectué'],
  permissionToStayIssued: ['Permission to stay issued', 'Aufenthaltsgestattung ausgestellt', 'Autorisation de séjour délivrée'],
  permissionToStayIssuedOn: ['Permission to stay issued on', 'Aufenthaltsgestattung ausgestellt am', 'Autorisation de séjour délivrée le'],
  dublinLeafletProvided: ['Dublin leaflet provided', 'Dublin-Merkblatt ausgehändigt', 'Brochure Dublin remise'],
  interviewKind: ['Kind of interview', 'Art der Anhörung', 'Type d’entretien'],
  category: ['Category', 'Kategorie', 'Catégorie'],
  searchCategory: ['Search category', 'Suchkategorie', 'Catégorie de recherche'],
  recordedUnder: ['Recorded under', 'Erfasst unter', 'Enregistré sous'],
  responsibleIndicated: ['Responsible state indicated', 'Angezeigter zuständiger Staat', 'État responsable indiqué'],
  bestInterestsContinuation: ['Continuation in the best interests', 'Fortführung im Kindeswohl', 'Poursuite dans l’intérêt supérieur'],
  firstDecisionOnSubstance: ['First decision on the substance', 'Erste Sachentscheidung', 'Première décision au fond'],
  requestType: ['Request type', 'Art des Gesuchs', 'Type de requête'],
  requestingState: ['Requesting state', 'Ersuchender Staat', 'État requérant'],
  requestedState: ['Requested state', 'Ersuchter Staat', 'État requis'],
  requestReceived: ['Request received on', 'Gesuch eingegangen am', 'Requête reçue le'],
  requestBasis: ['Legal basis of the request', 'Rechtsgrundlage des Gesuchs', 'Base juridique de la requête'],
  urgent: ['Urgent reply', 'Dringende Antwort', 'Réponse urgente'],
  'urgent.requested': ['Urgent reply requested', 'Dringende Antwort erbeten', 'Réponse urgente demandée'],
  'urgent.ground': ['Ground of urgency', 'Grund der Dringlichkeit', 'Motif de l’urgence'],
  'urgent.requestedReplyBy': ['Reply requested by', 'Antwort erbeten bis', 'Réponse demandée pour le'],
  replyType: ['Reply', 'Antwort', 'Réponse'],
  legalBasis: ['Legal basis', 'Rechtsgrundlage', 'Base juridique'],
  issuedOn: ['Issued on', 'Ausgestellt am', 'Délivré le'],
  decisionType: ['Decision', 'Entscheidung', 'Décision'],
  actionFiled: ['Action filed on', 'Klage erhoben am', 'Recours introduit le'],
  urgentApplicationFiled: ['Urgent application filed on', 'Eilantrag gestellt am', 'Référé introduit le'],
  suspensiveEffect: ['Suspensive effect', 'Aufschiebende Wirkung', 'Effet suspensif'],
  suspensiveEffectOrdered: ['Suspensive effect ordered on', 'Aufschiebende Wirkung angeordnet am', 'Effet suspensif ordonné le'],
  endedBy: ['Ended by', 'Beendet durch', 'Terminé par'],
  decisionNotifiedOn: ['Decision notified on', 'Entscheidung zugestellt am', 'Décision notifiée le'],
  established: ['Established on', 'Festgestellt am', 'Constaté le'],
  imprisonedUntil: ['Imprisoned until', 'Inhaftiert bis', 'Incarcéré jusqu’au'],
  ground: ['Ground', 'Grund', 'Motif'],
  receivingState: ['Receiving state', 'Aufnehmender Staat', 'État d’accueil'],
  transferMode: ['Transfer mode', 'Art der Überstellung', 'Modalité du transfert'],
  arrivalConfirmed: ['Arrival confirmed', 'Ankunft bestätigt', 'Arrivée confirmée'],
  deemedCarriedOut: ['Deemed carried out', 'Gilt als durchgeführt', 'Réputé exécuté'],
  receivingAuthority: ['Receiving authority', 'Aufnehmende Behörde', 'Autorité d’accueil'],
}

const index: Record<Language, number> = { en: 0, de: 1, fr: 2 }

/** The label of a claim path (dots for nested claims); the path itself, spaced, when unknown. */
export function claimLabel(path: string, lang: Language): string {
  const entry = labels[path] ?? labels[path.split('.').pop() ?? '']
  if (entry) return entry[index[lang]] ?? entry[0]
  return path.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase())
}

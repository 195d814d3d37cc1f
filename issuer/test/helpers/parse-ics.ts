// Child process of the feed test: parses an iCalendar text (stdin) with ical.js, an independent
// parser, in whatever TZ the parent gave this process, and prints each event's day as the local
// calendar shows it.
import ICAL from 'ical.js'

let text = ''
process.stdin.setEncoding('utf8')
for await (const chunk of process.stdin) text += chunk
const calendar = new ICAL.Component(ICAL.parse(text))
const events = calendar.getAllSubcomponents('vevent').map((component) => {
  const event = new ICAL.Event(component)
  const start = event.startDate.toJSDate()
  const end = event.endDate.toJSDate()
  const local = (date: Date) =>
    `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    isDate: event.startDate.isDate,
    start: event.startDate.toString(),
    localStartDay: local(start),
    localEndDay: local(end),
    durationDays: Math.round((end.getTime() - start.getTime()) / 86_400_000),
  }
})
process.stdout.write(JSON.stringify({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone, events }))

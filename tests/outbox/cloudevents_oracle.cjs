// escalator's delivery bodies read by the CloudEvents SDK (npm cloudevents)
// as structured-mode HTTP messages: each must be a valid CloudEvents 1.0
// event whose attributes say what the test expects of it. Exits 1 otherwise.
const fs = require("fs");
const { HTTP } = require("cloudevents");

const deliveries = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let failures = 0;
for (const d of deliveries) {
  try {
    const event = HTTP.toEvent({ headers: { "content-type": "application/cloudevents+json" }, body: d.body });
    event.validate();
    const expected = d.expected;
    for (const name of ["id", "source", "type", "subject", "specversion", "datacontenttype"]) {
      if (event[name] !== expected[name]) throw new Error(`${name} is ${event[name]}, not ${expected[name]}`);
    }
    if (new Date(event.time).getTime() !== new Date(expected.time).getTime()) throw new Error(`time is ${event.time}`);
    if (event.data.seq !== expected.seq || event.data.type !== expected.event_type) throw new Error("data is not the event");
  } catch (e) {
    failures++;
    console.error(`${d.expected.id}: ${e.message}`);
  }
}
console.log(`${deliveries.length} events read, ${failures} failures`);
process.exit(failures ? 1 : 0);

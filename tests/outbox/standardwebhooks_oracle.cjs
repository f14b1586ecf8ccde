// escalator's webhook signatures checked by Standard Webhooks' own library
// (npm standardwebhooks): for each delivery in the file, each secret's
// signature must be the one the library makes, and the library must accept
// the whole webhook-signature header. Exits 1 on any difference.
const fs = require("fs");
const { Webhook } = require("standardwebhooks");

const deliveries = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
let failures = 0;
for (const d of deliveries) {
  const ours = d.header.split(" ");
  d.secrets.forEach((secret, i) => {
    const webhook = new Webhook(secret);
    const theirs = webhook.sign(d.id, new Date(d.timestamp * 1000), d.body);
    if (theirs !== ours[i]) {
      failures++;
      console.error(`${d.id}: secret ${i}: ours ${ours[i]}, the library's ${theirs}`);
    }
    try {
      webhook.verify(d.body, {
        "webhook-id": d.id,
        "webhook-timestamp": String(d.timestamp),
        "webhook-signature": d.header,
      }, { jsonParse: false });
    } catch (e) {
      failures++;
      console.error(`${d.id}: secret ${i}: the library refused the header: ${e.message}`);
    }
  });
}
console.log(`${deliveries.length} deliveries checked, ${failures} failures`);
process.exit(failures ? 1 : 0);

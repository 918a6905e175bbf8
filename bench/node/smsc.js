// An independent SMSC for benchmarks (node-smpp): accepts any bind, answers every submit_sm with a hex id and,
// when a receipt is asked for, sends a text-only deliver_sm receipt (id in decimal: the hex/decimal quirk) after
// RECEIPT_DELAY_MS. Prints the submit_sm and deliver_sm_resp it saw every 10 s (the rate at the SMSC, whatever sent them).
// Usage: node smsc.js PORT [RECEIPT_DELAY_MS]
'use strict';
const smpp = require('smpp');
const port = Number(process.argv[2] || 2775);
const delay = Number(process.argv[3] || 100);
let next = 0x10000000;
let submits = 0;
let receiptsAnswered = 0;
setInterval(() => {
  console.log(`${new Date().toISOString()} submit_sm ${submits / 10}/s, receipts answered ${receiptsAnswered / 10}/s`);
  submits = 0;
  receiptsAnswered = 0;
}, 10000);

function stamp(d) {
  const p = (n) => String(n).padStart(2, '0');
  return p(d.getUTCFullYear() % 100) + p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + p(d.getUTCHours()) + p(d.getUTCMinutes());
}

const server = smpp.createServer({ debug: false }, (session) => {
  const ok = (pdu) => session.send(pdu.response());
  session.on('bind_transceiver', ok);
  session.on('bind_transmitter', ok);
  session.on('bind_receiver', ok);
  session.on('enquire_link', ok);
  session.on('unbind', (pdu) => { session.send(pdu.response()); session.close(); });
  session.on('error', () => {});
  session.on('deliver_sm_resp', () => { receiptsAnswered++; });
  session.on('submit_sm', (pdu) => {
    submits++;
    const id = next++;
    session.send(pdu.response({ message_id: id.toString(16) }));
    if (pdu.registered_delivery & 1) {
      const submitted = stamp(new Date());
      setTimeout(() => {
        if (session.closed) {
          return;
        }
        session.deliver_sm({
          source_addr: pdu.destination_addr,
          source_addr_ton: 1,
          source_addr_npi: 1,
          destination_addr: pdu.source_addr,
          esm_class: 4,
          short_message: `id:${id} sub:001 dlvrd:001 submit date:${submitted} done date:${stamp(new Date())} stat:DELIVRD err:000 text:`,
        });
      }, delay);
    }
  });
});
server.listen(port, '127.0.0.1', () => console.log(`node-smpp SMSC on 127.0.0.1:${port}, receipts after ${delay} ms`));

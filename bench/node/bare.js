// A bare SMPP client (node-smpp): SESSIONS binds keeping WINDOW submit_sm in flight each, receipts asked for and
// answered; counts submit_sm_resp and receipts over DURATION_S after WARMUP_S and prints the rates and this process's
// CPU per message. Usage: node bare.js HOST:PORT [SESSIONS] [WINDOW] [WARMUP_S] [DURATION_S]
'use strict';
const smpp = require('smpp');
const [host, port] = (process.argv[2] || '127.0.0.1:2775').split(':');
const sessions = Number(process.argv[3] || 2);
const window = Number(process.argv[4] || 100);
const warmup = Number(process.argv[5] || 15);
const duration = Number(process.argv[6] || 20);
let responses = 0;
let receipts = 0;
let n = 0;
let running = true;

function submit(session) {
  if (!running) {
    return;
  }
  n++;
  session.submit_sm({
    source_addr: 'BENCH', source_addr_ton: 5,
    destination_addr: '336' + String(n % 100000000).padStart(8, '0'), dest_addr_ton: 1, dest_addr_npi: 1,
    registered_delivery: 1,
    short_message: 'Bonjour, votre code est ' + n,
  }, () => {
    responses++;
    submit(session);
  });
}

for (let i = 0; i < sessions; i++) {
  const session = smpp.connect({ url: `smpp://${host}:${port}`, auto_enquire_link_period: 10000 });
  session.on('error', (e) => console.error('session error', e.message));
  session.on('deliver_sm', (pdu) => { receipts++; session.send(pdu.response()); });
  session.bind_transceiver({ system_id: 'smppgw', password: 'secret' }, () => {
    for (let w = 0; w < window; w++) {
      submit(session);
    }
  });
}

setTimeout(() => {
  const r0 = responses;
  const d0 = receipts;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  setTimeout(() => {
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const sent = responses - r0;
    console.log(JSON.stringify({
      client: 'node-smpp bare', sessions, window, duration_s: duration, warmup_s: warmup,
      submit_resp_per_s: Math.round(sent / secs), receipts_per_s: Math.round((receipts - d0) / secs),
      client_cpu_us_per_message: Math.round((c.user + c.system) / sent * 10) / 10,
    }));
    running = false;
    process.exit(0);
  }, duration * 1000);
}, warmup * 1000);

// The simulator's behaviour. It is a file, not inline, so the page's Content-Security-Policy
// needs no 'unsafe-inline'; what it needs from the server is in the page's data- attributes
// (the endpoints) and the practice <option>s (id, doctor's phone).
"use strict";
const { sendUrl, messagesUrl } = document.body.dataset;
const picker = document.getElementById("practice");
const POLL_MS = 1500;
// Rows are fetched again from a little before the newest one: a row committed late,
// or an outbound status still moving, is not missed.
const MARGIN_MS = 10000;

const panes = ["patient", "doctor"].map((id) => {
  const root = document.getElementById(id);
  return {
    phone: root.querySelector("input[name=phone]"),
    text: root.querySelector("input[name=text]"),
    form: root.querySelector("form"),
    log: root.querySelector(".log"),
    rows: [],
    shown: "",
  };
});
const doctor = panes[1];

function practice() {
  return picker.selectedOptions[0];
}

function notification(message) {
  document.getElementById("notification").textContent = message;
}

function clear(pane) {
  pane.rows = [];
  pane.shown = "";
  pane.log.replaceChildren();
}

function choosePractice() {
  doctor.phone.value = practice()?.dataset.doctorPhone ?? "";
  panes.forEach(clear);
  refreshAll();
}

async function send(pane, body, payload) {
  const chosen = practice();
  if (!chosen) return;
  const response = await fetch(sendUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ practice: chosen.value, phone: pane.phone.value.trim(), body, payload }),
  });
  notification(response.ok ? "" : (await response.json().catch(() => ({}))).error ?? response.statusText);
  refreshAll();
}

function refreshAll() {
  for (const pane of panes) refresh(pane).catch(() => notification("Sin conexión con el servidor"));
}

async function refresh(pane) {
  const chosen = practice();
  const phone = pane.phone.value.trim();
  if (!chosen || !phone) return;
  const from = pane.rows.find((r) => r.status === "queued" || r.status === "sending")
    ?? pane.rows[pane.rows.length - 1];
  const after = from ? new Date(Date.parse(from.created_at) - MARGIN_MS) : null;
  const query = new URLSearchParams({ practice: chosen.value, phone });
  if (after) query.set("after", after.toISOString());
  const response = await fetch(`${messagesUrl}?${query}`);
  if (practice() !== chosen || pane.phone.value.trim() !== phone) return;
  if (!response.ok) {
    notification((await response.json().catch(() => ({}))).error ?? response.statusText);
    return;
  }
  const { messages } = await response.json();
  const fresh = new Set(messages.map((m) => m.id));
  const cut = after ? after.getTime() : -Infinity;
  const kept = pane.rows.filter((r) => !fresh.has(r.id) && Date.parse(r.created_at) < cut);
  pane.rows = kept.concat(messages);
  render(pane);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function bubble(pane, row) {
  const node = element("div", `msg ${row.direction}`, row.body);
  const details = [new Date(row.created_at).toLocaleTimeString()];
  if (row.direction === "out") details.push(row.status);
  if (row.purpose && row.purpose !== "reply") details.push(row.purpose);
  node.append(element("div", "meta", details.join(" · ")));
  for (const button of row.buttons) {
    const tap = element("button", "", button.title);
    tap.type = "button";
    tap.addEventListener("click", () => {
      send(pane, button.title, button.payload).catch(() => notification("Sin conexión con el servidor"));
    });
    node.append(tap);
  }
  return node;
}

function render(pane) {
  const shown = JSON.stringify(pane.rows);
  if (shown === pane.shown) return;
  pane.shown = shown;
  const log = pane.log;
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  log.replaceChildren(...pane.rows.map((row) => bubble(pane, row)));
  if (atBottom) log.scrollTop = log.scrollHeight;
}

for (const pane of panes) {
  pane.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = pane.text.value;
    if (!body.trim()) return;
    pane.text.value = "";
    send(pane, body, null).catch(() => notification("Sin conexión con el servidor"));
  });
  pane.phone.addEventListener("change", () => { clear(pane); refreshAll(); });
}
picker.addEventListener("change", choosePractice);
if (practice()) choosePractice();
setInterval(refreshAll, POLL_MS);

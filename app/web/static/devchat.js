// The simulator's behaviour. It is a file, not inline, so the page's Content-Security-Policy
// needs no 'unsafe-inline'; what it needs from the server is in the page's data- attributes
// (the endpoints) and the practice <option>s (id, doctor's phone).
// A reply with choices (`interactive`) shows its question, and its buttons under the bubble
// or a button that opens its list, as WhatsApp does; a tap is sent with the id Twilio would
// send (a list item's ListId, a button's ButtonPayload). Old bubbles stay tappable, as they
// are on a phone.
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
    root,
    phone: root.querySelector("input[name=phone]"),
    text: root.querySelector("input[name=text]"),
    form: root.querySelector("form"),
    log: root.querySelector(".log"),
    rows: [],
    shown: "",
    sheet: null,
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
  closeList(pane);
  pane.rows = [];
  pane.shown = "";
  pane.log.replaceChildren();
}

function choosePractice() {
  doctor.phone.value = practice()?.dataset.doctorPhone ?? "";
  panes.forEach(clear);
  refreshAll();
}

// `tap` is what a tap adds to the text: { payload } for a button, { list_id } for a list item.
async function send(pane, body, tap = {}) {
  const chosen = practice();
  if (!chosen) return;
  const response = await fetch(sendUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ practice: chosen.value, phone: pane.phone.value.trim(), body, ...tap }),
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

function sendTap(pane, title, tap) {
  send(pane, title, tap).catch(() => notification("Sin conexión con el servidor"));
}

// WhatsApp's list icon: three lines, drawn by the style sheet (devchat.css, `.icon`).
function listIcon() {
  const icon = element("span", "icon");
  icon.setAttribute("aria-hidden", "true");
  return icon;
}

// The quick replies of a row: the doctor's notice (Aprobar/Rechazar) or a reply's buttons.
function quickReplies(row) {
  if (row.interactive?.kind === "twilio/quick-reply") {
    return row.interactive.items.map((item) => ({ title: item.title, tap: { payload: item.id } }));
  }
  return row.buttons.map((button) => ({ title: button.title, tap: { payload: button.payload } }));
}

function bubble(pane, row) {
  const turn = element("div", `turn ${row.direction}`);
  const choices = row.interactive;
  const node = element("div", `msg ${row.direction}`);
  node.append(element("div", "text", choices ? choices.body : row.body));
  const details = [new Date(row.created_at).toLocaleTimeString()];
  if (row.direction === "out") details.push(row.status);
  if (row.purpose && row.purpose !== "reply") details.push(row.purpose);
  node.append(element("div", "meta", details.join(" · ")));
  if (choices?.kind === "twilio/list-picker") {
    const open = element("button", "list-open");
    open.type = "button";
    open.setAttribute("aria-haspopup", "dialog");
    open.append(listIcon(), element("span", "", choices.button));
    open.addEventListener("click", () => openList(pane, choices, open));
    node.append(open);
  }
  turn.append(node);
  const replies = quickReplies(row);
  if (replies.length) {
    const group = element("div", "quick-replies");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Respuestas rápidas");
    for (const reply of replies) {
      const tap = element("button", "", reply.title);
      tap.type = "button";
      tap.addEventListener("click", () => sendTap(pane, reply.title, reply.tap));
      group.append(tap);
    }
    turn.append(group);
  }
  return turn;
}

// The list's panel, over the pane's chat as WhatsApp's sheet: its button's label as the
// title, each item a row (title, description, a radio); tapping one sends it and closes.
let sheets = 0;
function openList(pane, choices, opener) {
  closeList(pane);
  const shade = element("div", "shade");
  shade.addEventListener("click", (event) => {
    if (event.target === shade) closeList(pane);
  });
  const sheet = element("div", "sheet");
  const titleId = `sheet-title-${++sheets}`;
  sheet.setAttribute("role", "dialog");
  sheet.setAttribute("aria-modal", "true");
  sheet.setAttribute("aria-labelledby", titleId);
  const head = element("div", "sheet-head");
  const close = element("button", "sheet-close", "✕");
  close.type = "button";
  close.setAttribute("aria-label", "Cerrar");
  close.addEventListener("click", () => closeList(pane));
  const title = element("h3", "", choices.button);
  title.id = titleId;
  head.append(close, title);
  const list = element("ul", "items");
  for (const item of choices.items) {
    const entry = element("li");
    const tap = element("button", "item");
    tap.type = "button";
    const words = element("span", "words");
    words.append(element("span", "item-title", item.title));
    if (item.description) words.append(element("span", "item-description", item.description));
    const radio = element("span", "radio");
    radio.setAttribute("aria-hidden", "true");
    tap.append(words, radio);
    tap.addEventListener("click", () => {
      tap.classList.add("chosen");
      closeList(pane);
      sendTap(pane, item.title, { list_id: item.id });
    });
    entry.append(tap);
    list.append(entry);
  }
  sheet.append(head, list);
  sheet.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeList(pane);
  });
  shade.append(sheet);
  pane.root.append(shade);
  pane.sheet = { shade, opener };
  opener.setAttribute("aria-expanded", "true");
  (list.querySelector("button") ?? close).focus();
}

function closeList(pane) {
  if (!pane.sheet) return;
  const { shade, opener } = pane.sheet;
  pane.sheet = null;
  shade.remove();
  opener.setAttribute("aria-expanded", "false");
  (opener.isConnected ? opener : pane.text).focus();
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
    send(pane, body).catch(() => notification("Sin conexión con el servidor"));
  });
  pane.phone.addEventListener("change", () => { clear(pane); refreshAll(); });
}
picker.addEventListener("change", choosePractice);
if (practice()) choosePractice();
setInterval(refreshAll, POLL_MS);

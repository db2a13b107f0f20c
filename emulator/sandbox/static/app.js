// The Birge sandbox page: people side by side, each in a phone-like chat with the bot.
// Plain JavaScript, no build step, nothing from the internet. The server renders message
// text to safe HTML (every character of it escaped); this script only places it.
"use strict";

const state = {
  texts: {}, lang: "en", bot: "", regions: [], people: new Map(),
  open: [], chats: new Map(), source: null,
};
const $ = (selector, root = document) => root.querySelector(selector);

function t(key, values = {}) {
  const text = (state.texts[state.lang] || {})[key] || (state.texts.en || {})[key] || key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in values ? values[name] : `{${name}}`));
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${response.status}`);
  return data;
}

function showError(error) {
  const box = $("#form-error");
  box.textContent = error ? `${t("error")}: ${error.message || error}` : "";
  box.hidden = !error;
}

// --- page texts --------------------------------------------------------------------------

function applyTexts(root = document) {
  document.documentElement.lang = state.lang;
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  root.querySelectorAll("[data-i18n-label]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel)); el.title = t(el.dataset.i18nLabel);
  });
  if (root === document) document.title = t("title");
}

function pickLanguage() {
  const saved = localStorage.getItem("birge-sandbox-lang");
  const browser = (navigator.language || "en").slice(0, 2).toLowerCase();
  const wanted = new URLSearchParams(location.search).get("lang") || saved || browser;
  return ["kk", "ru", "en"].includes(wanted) ? wanted : "en";
}

// --- people ----------------------------------------------------------------------------

function personLabel(person) {
  const role = t(`role_${person.role}`);
  return `${person.name} · ${role}${person.region ? " " + person.region : ""} · ${person.language || "—"} · ${person.id}`;
}

function refreshPeopleList() {
  const list = $("#people-list");
  list.replaceChildren(...[...state.people.values()].map((person) => {
    const option = document.createElement("option");
    option.value = personLabel(person);
    return option;
  }));
  $("#drill-people").textContent = [...state.people.values()].filter((p) => p.simulated).length;
}

function findPerson(query) {
  const text = query.trim().toLowerCase();
  if (!text) return null;
  const id = Number((text.match(/(\d+)\s*$/) || [])[1]);
  if (state.people.has(id)) return state.people.get(id);
  return [...state.people.values()].find((p) => personLabel(p).toLowerCase() === text)
    || [...state.people.values()].find((p) => p.name.toLowerCase().includes(text)) || null;
}

function openPerson(id) {
  if (!state.open.includes(id)) {
    state.open.push(id);
    state.chats.set(id, {messages: new Map(), keyboard: null, menu: []});
    saveOpen();
    addColumn(id);
    connect();
  }
  const column = columnOf(id);
  column.scrollIntoView({behavior: "smooth", inline: "nearest"});
  $(".text", column).focus();
}

function closePerson(id) {
  state.open = state.open.filter((other) => other !== id);
  state.chats.delete(id);
  columnOf(id)?.remove();
  saveOpen();
  connect();
}

function saveOpen() {
  localStorage.setItem("birge-sandbox-open", JSON.stringify(state.open));
  $("#empty-hint").hidden = state.open.length > 0;
}

// --- columns -----------------------------------------------------------------------------

function columnOf(id) { return document.querySelector(`.phone[data-person="${id}"]`); }

function addColumn(id) {
  const person = state.people.get(id);
  const column = $("#column-template").content.firstElementChild.cloneNode(true);
  column.dataset.person = id;
  column.setAttribute("aria-label", person.name);
  $(".avatar", column).textContent = person.first_name.slice(0, 1).toUpperCase();
  $(".name", column).textContent = person.name;
  $(".meta", column).textContent = `${t("role_" + person.role)}${person.region ? " · " + person.region : ""} · ${person.language || "—"}`;
  applyTexts(column);
  $(".close", column).addEventListener("click", () => closePerson(id));
  $(".composer", column).addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $(".text", column);
    if (!input.value.trim()) return;
    act(id, "text", {text: input.value});
    input.value = "";
  });
  $(".menu-button", column).addEventListener("click", () => toggle(column, ".menu-list"));
  $(".attach-button", column).addEventListener("click", () => toggle(column, ".attach-list"));
  $(".share-contact", column).addEventListener("click", () => { toggle(column, null); act(id, "contact", {}); });
  $(".share-location", column).addEventListener("click", () => { toggle(column, null); act(id, "location", {}); });
  $(".send-photo", column).addEventListener("click", () => { toggle(column, null); act(id, "photo", {}); });
  $(".send-document input", column).addEventListener("change", (event) => sendDocument(id, event.target));
  $(".alert button", column).addEventListener("click", () => { $(".alert", column).hidden = true; });
  $(".chat", column).addEventListener("click", (event) => chatClick(id, event));
  $("#columns").append(column);
  render(id);
}

function toggle(column, which) {
  for (const name of [".menu-list", ".attach-list"]) {
    const el = $(name, column);
    el.hidden = name === which ? !el.hidden : true;
  }
}

async function act(id, action, body) {
  try {
    showError(null);
    return await api(`/api/people/${id}/${action}`, body);
  } catch (error) {
    showError(error);
    return null;
  }
}

async function sendDocument(id, input) {
  const file = input.files[0];
  input.value = "";
  if (!file) return;
  toggle(columnOf(id), null);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  act(id, "document", {file_name: file.name, mime_type: file.type || null, data: btoa(binary)});
}

// A link to the bot with ?start= opens as this person's /start, as in Telegram.
function deepLink(href) {
  const bot = state.bot.toLowerCase();
  try {
    const url = new URL(href);
    if (["t.me", "telegram.me"].includes(url.hostname) && url.pathname.slice(1).toLowerCase() === bot) {
      return url.searchParams.get("start") ?? "";
    }
    if (url.protocol === "tg:" && (url.searchParams.get("domain") || "").toLowerCase() === bot) {
      return url.searchParams.get("start") ?? "";
    }
  } catch (error) { /* not a URL */ }
  return null;
}

function chatClick(id, event) {
  const command = event.target.closest(".command");
  if (command) { act(id, "text", {text: command.dataset.command}); return; }
  const link = event.target.closest("a[href]");
  if (link) {
    const start = deepLink(link.href);
    if (start !== null) {
      event.preventDefault();
      act(id, "text", {text: start ? `/start ${start}` : "/start"});
    }
  }
}

function time(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString(state.lang, {hour: "2-digit", minute: "2-digit"});
}

function messageElement(id, message) {
  const item = document.createElement("li");
  item.className = "msg" + (message.from_bot ? " bot" : " mine");
  item.dataset.id = message.id;
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  item.append(bubble);
  if (message.deleted) {
    bubble.classList.add("deleted");
    bubble.textContent = t("deleted");
    return item;
  }
  const parts = [];
  if (message.photo) parts.push(`<img src="${message.photo}" alt="" class="photo">`);
  if (message.document) {
    const size = Math.max(1, Math.round(message.document.size / 1024));
    parts.push(`<a class="file" href="${message.document.url}" download="${escapeHtml(message.document.name)}">📄 ${escapeHtml(message.document.name)} (${size} KB)</a>`);
  }
  if (message.location) parts.push(`<span class="place">📍 ${t("location")}: ${message.location.latitude.toFixed(5)}, ${message.location.longitude.toFixed(5)}</span>`);
  if (message.venue) parts.push(`<span class="place">📍 <b>${escapeHtml(message.venue.title)}</b> ${escapeHtml(message.venue.address)}</span>`);
  if (message.contact) parts.push(`<span class="contact">👤 ${t("contact")}: ${escapeHtml(message.contact.name)} ${escapeHtml(message.contact.phone)}</span>`);
  if (message.sticker) parts.push(`<span class="sticker">${escapeHtml(message.sticker)}</span>`);
  if (message.html !== undefined) parts.push(`<span class="body">${message.html}</span>`);
  if (message.caption_html) parts.push(`<span class="caption">${message.caption_html}</span>`);
  const edited = message.edited ? `${t("edited")} ` : "";
  bubble.innerHTML = parts.join("\n") + `<span class="time">${edited}${time(message.date)}</span>`;
  if (message.inline) item.append(inlineKeyboard(id, message));
  return item;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}

function inlineKeyboard(id, message) {
  const box = document.createElement("div");
  box.className = "inline";
  message.inline.forEach((row, r) => {
    const line = document.createElement("div");
    line.className = "krow";
    row.forEach((button, c) => {
      let el;
      if (button.url !== undefined) {
        el = document.createElement("a");
        el.href = button.url; el.target = "_blank"; el.rel = "noopener";
        el.textContent = button.text + " ↗";
        const start = deepLink(button.url);
        if (start !== null) el.addEventListener("click", (event) => {
          event.preventDefault(); act(id, "text", {text: start ? `/start ${start}` : "/start"});
        });
      } else {
        el = document.createElement("button");
        el.type = "button";
        el.textContent = button.text;
        if (button.callback) el.addEventListener("click", () => act(id, "press", {message_id: message.id, row: r, column: c}));
        else if (button.copy !== undefined) el.addEventListener("click", () => navigator.clipboard?.writeText(button.copy));
      }
      line.append(el);
    });
    box.append(line);
  });
  return box;
}

function render(id) {
  const column = columnOf(id);
  const chat = state.chats.get(id);
  if (!column || !chat) return;
  const list = $(".chat", column);
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const messages = [...chat.messages.values()].sort((a, b) => a.id - b.id);
  if (!messages.length) {
    const empty = document.createElement("li");
    empty.className = "empty"; empty.textContent = t("empty_chat");
    list.replaceChildren(empty);
  } else {
    list.replaceChildren(...messages.map((message) => messageElement(id, message)));
  }
  if (atBottom || !list.dataset.scrolled) { list.scrollTop = list.scrollHeight; list.dataset.scrolled = "1"; }
  renderKeyboard(id, column, chat);
  renderMenu(id, column, chat);
}

function renderKeyboard(id, column, chat) {
  const box = $(".reply-keyboard", column);
  const input = $(".text", column);
  input.placeholder = (chat.keyboard && chat.keyboard.placeholder) || t("type_message");
  box.replaceChildren(...(chat.keyboard ? chat.keyboard.rows : []).map((row, r) => {
    const line = document.createElement("div");
    line.className = "krow";
    row.forEach((button, c) => {
      const el = document.createElement("button");
      el.type = "button";
      el.textContent = button.text;
      if (button.contact) el.dataset.request = "contact";
      if (button.location) el.dataset.request = "location";
      el.addEventListener("click", () => act(id, "reply", {row: r, column: c}));
      line.append(el);
    });
    return line;
  }));
}

function renderMenu(id, column, chat) {
  const box = $(".menu-list", column);
  if (!chat.menu.length) {
    const none = document.createElement("span");
    none.textContent = t("no_menu"); none.className = "hint";
    box.replaceChildren(none);
    return;
  }
  box.replaceChildren(...chat.menu.map((command) => {
    const el = document.createElement("button");
    el.type = "button";
    el.innerHTML = `<code>/${escapeHtml(command.command)}</code>${escapeHtml(command.description)}`;
    el.addEventListener("click", () => { toggle(column, null); act(id, "text", {text: "/" + command.command}); });
    return el;
  }));
}

function toast(id, text, alert) {
  const column = columnOf(id);
  if (!column) return;
  if (alert) {
    const box = $(".alert", column);
    $("p", box).textContent = text;
    box.hidden = false;
    $("button", box).focus();
    return;
  }
  const box = $(".toast", column);
  box.textContent = text;
  box.hidden = false;
  clearTimeout(box.timer);
  box.timer = setTimeout(() => { box.hidden = true; }, 2500);
}

// --- live updates ------------------------------------------------------------------------

function connect() {
  if (state.source) state.source.close();
  state.source = null;
  if (!state.open.length) return;
  const source = new EventSource(`/api/events?people=${state.open.join(",")}`);
  state.source = source;
  source.onopen = () => { $("#status").textContent = "● " + t("connected"); };
  source.onerror = () => { $("#status").textContent = "○ " + t("disconnected"); };
  source.addEventListener("messages", (event) => {
    const data = JSON.parse(event.data);
    const chat = state.chats.get(data.person);
    if (!chat) return;
    data.messages.forEach((message) => chat.messages.set(message.id, message));
    render(data.person);
  });
  source.addEventListener("extras", (event) => {
    const data = JSON.parse(event.data);
    const chat = state.chats.get(data.person);
    if (!chat) return;
    chat.keyboard = data.keyboard; chat.menu = data.menu;
    render(data.person);
  });
  source.addEventListener("answer", (event) => {
    const data = JSON.parse(event.data);
    toast(data.person, data.text, data.alert);
  });
}

// --- forms -------------------------------------------------------------------------------

async function loadDrill() {
  const drill = await api("/api/drill");
  const form = $("#drill-form");
  for (const [key, value] of Object.entries(drill.odds)) form.elements[key].value = value;
  form.elements.max_delay.value = drill.max_delay;
  form.elements.minute.value = drill.minute;
  $("#drill-counts").textContent = t("drill_counts", drill.counts);
}

function setUp() {
  $("#page-language").value = state.lang;
  $("#page-language").addEventListener("change", (event) => {
    state.lang = event.target.value;
    localStorage.setItem("birge-sandbox-lang", state.lang);
    applyTexts();
    document.querySelectorAll(".phone").forEach((column) => applyTexts(column));
    refreshPeopleList();
    state.open.forEach(render);
  });
  $("#new-role").addEventListener("change", (event) => { $("#region-field").hidden = event.target.value !== "coordinator"; });
  $("#new-region").replaceChildren(...state.regions.map(([code, name]) => {
    const option = document.createElement("option");
    option.value = code; option.textContent = `${code} ${name}`;
    return option;
  }));
  $("#new-person").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const body = Object.fromEntries(new FormData(form).entries());
    if (body.role !== "coordinator") delete body.region;
    try {
      showError(null);
      const person = await api("/api/people", body);
      state.people.set(person.id, person);
      refreshPeopleList();
      form.elements.first_name.value = ""; form.elements.last_name.value = "";
      openPerson(person.id);
    } catch (error) { showError(error); }
  });
  $("#open-person").addEventListener("submit", async (event) => {
    event.preventDefault();
    const people = await api("/api/people");
    people.forEach((person) => state.people.set(person.id, person));
    const person = findPerson($("#person-search").value);
    if (!person) { showError(new Error($("#person-search").value)); return; }
    $("#person-search").value = "";
    showError(null);
    openPerson(person.id);
  });
  $("#drill").addEventListener("toggle", () => { if ($("#drill").open) loadDrill(); });
  $("#drill-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const odds = {};
    for (const key of ["accept", "decline", "ignore", "arrive"]) odds[key] = Number(form.elements[key].value);
    try {
      showError(null);
      await api("/api/drill", {odds, max_delay: Number(form.elements.max_delay.value),
                               minute: Number(form.elements.minute.value)});
      await loadDrill();
    } catch (error) { showError(error); }
  });
}

async function main() {
  state.texts = await api("/static/i18n.json");
  state.lang = pickLanguage();
  const info = await api("/api/info");
  state.bot = info.bot;
  state.regions = info.regions;
  info.people.forEach((person) => state.people.set(person.id, person));
  applyTexts();
  setUp();
  refreshPeopleList();
  const saved = JSON.parse(localStorage.getItem("birge-sandbox-open") || "[]").filter((id) => state.people.has(id));
  saved.forEach((id) => {
    state.open.push(id);
    state.chats.set(id, {messages: new Map(), keyboard: null, menu: []});
    addColumn(id);
  });
  saveOpen();
  connect();
}

main().catch(showError);

/*
 * SEND Navigator chat widget. Plain JavaScript, no framework, no build step.
 *
 * Embed with one tag:
 *   <script src="https://HOST/widget.js" data-title="Ask SEND Navigator" defer></script>
 *
 * The API base is the folder this script was loaded from, so the widget works
 * on any page that includes it (the server's CORS list decides which may).
 *
 * Security: every string from the server is shown with textContent or
 * createTextNode, never innerHTML, so a reply containing markup stays text.
 * Only http: and https: URLs become links. Nothing is loaded from elsewhere.
 *
 * Privacy: the conversation id and the rendered messages are kept in this
 * browser's localStorage only, so the chat survives a reload; "Delete my
 * conversation" erases them here and on the server.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__sendNavigatorWidget) return;
  window.__sendNavigatorWidget = true;

  var BASE = new URL("./", script.src);
  var TITLE = (script.getAttribute("data-title") || "Ask SEND Navigator").trim();
  var BOT_NAME = "SEND Navigator";
  var STORE_KEY = "sendnav.conversation.v1";
  var OPEN_KEY = "sendnav.open.v1";
  var MAX_CHARS = 2000;
  var MAX_STORED = 200;
  var REQUEST_TIMEOUT_MS = 40000; // longer than the proxy's own wait for Rasa, so its kind fallback arrives first
  var RETRY_DELAYS_MS = [2000, 4000]; // a restarted server is usually back within a few seconds
  var STARTERS = [
    "What can you help with?",
    "How do I ask for an EHC needs assessment?",
    "How do I appeal to the SEND tribunal?"
  ];
  var TEXT = {
    notice: "We keep questions I can't answer, with personal details removed, and your feedback \u2014 never your name. " +
      "I'm not the council, and I give information, not legal advice. ",
    privacy: "Privacy information",
    welcome: "Hello. I can help with questions about special educational needs and disabilities (SEND) " +
      "in England: EHC plans, school support, appeals and complaints, and who can help.\n\n" +
      "Type your question in your own words, or pick one below.",
    typing: BOT_NAME + " is typing",
    tooLong: "That message is too long \u2014 please keep it under 2,000 characters.",
    slowDown: "You're sending messages quickly; please wait {n} seconds and try again.",
    offline: "I can't reach " + BOT_NAME + " at the moment. Please check your connection and try again.",
    failed: "Sorry, something went wrong. Please try again in a moment.",
    notOffered: "That option isn't available any more. Please type your question instead.",
    expired: "Your earlier conversation had ended, so I've started a new one.",
    thanks: "Thanks for your feedback",
    feedbackExpired: "Sorry, I couldn't save that because this conversation has ended.",
    deleted: "Your conversation has been deleted from this device and from " + BOT_NAME + ".",
    deleteFailed: "Sorry, I couldn't delete your conversation just now. Please try again.",
    confirmDelete: "Delete this conversation from this device and from " + BOT_NAME + "?",
    stillNeedHelp: "I still need help",
    download: "Download this letter (.docx, opens in Word)",
    calendar: "Add to my calendar (.ics)",
    calendarSaved: "Calendar file saved. Open it to add the date to your calendar.",
    calendarExpired: "Sorry, I can't make that calendar file because this conversation has ended.",
    volunteerArrived: "A volunteer has answered your question",
    volunteerNews: "News about your question for a volunteer"
  };
  var POLL_MS = 30000;

  // ---- small helpers ------------------------------------------------------

  /** Create an element; attributes via setAttribute, children as text nodes or elements. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (attrs[key] !== null && attrs[key] !== undefined && attrs[key] !== false) {
        node.setAttribute(key, attrs[key] === true ? "" : String(attrs[key]));
      }
    });
    [].concat(children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /** Text for screen readers only. */
  function srOnly(text) {
    return el("span", { "class": "snav-sr" }, text);
  }

  /** Return the URL as a string when it is http(s), otherwise null. */
  function safeUrl(raw) {
    try {
      var url = new URL(String(raw));
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function externalLink(href, children) {
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer" },
      [].concat(children, srOnly(" (opens in a new tab)")));
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // localStorage can be full, blocked or absent (private browsing); the chat still works without it.
  function readStore(kind, key) {
    try { return JSON.parse(window[kind].getItem(key) || "null"); } catch (e) { return null; }
  }
  function writeStore(kind, key, value) {
    try {
      if (value === null) window[kind].removeItem(key); else window[kind].setItem(key, JSON.stringify(value));
    } catch (e) { /* ignore */ }
  }

  // ---- state --------------------------------------------------------------

  var saved = readStore("localStorage", STORE_KEY);
  var state = {
    id: saved && typeof saved.id === "string" ? saved.id : null,
    messages: saved && Array.isArray(saved.messages) ? saved.messages : [],
    delivered: saved && Array.isArray(saved.delivered) ? saved.delivered : []
  };
  var busy = false;

  function save() {
    state.messages = state.messages.slice(-MAX_STORED);
    state.delivered = (state.delivered || []).slice(-100);
    writeStore("localStorage", STORE_KEY, { id: state.id, messages: state.messages, delivered: state.delivered });
  }

  // ---- API ----------------------------------------------------------------

  /** Call the widget API; resolve with {status, data, retryAfter}; reject only on network failure or timeout. */
  function api(method, path, body) {
    // Never leave the parent waiting on a request the server will not answer.
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    return fetch(new URL(path, BASE).href, {
      method: method,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
      credentials: "omit",
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timer);
      return response.text().then(function (raw) {
        var data = null;
        try { data = raw ? JSON.parse(raw) : null; } catch (e) { data = null; }
        return { status: response.status, data: data, retryAfter: response.headers.get("Retry-After") };
      });
    });
  }

  function newSession() {
    return api("POST", "api/session", {}).then(function (res) {
      if (res.status !== 201 || !res.data || typeof res.data.conversation_id !== "string") {
        var error = new Error("session");
        error.response = res;
        throw error;
      }
      state.id = res.data.conversation_id;
      save();
      return state.id;
    });
  }

  /** Send one chat body, trying again after a network failure (a server restarting), then giving up. */
  function chat(body, attempt) {
    attempt = attempt || 0;
    return chatOnce(body).then(null, function (error) {
      if (attempt >= RETRY_DELAYS_MS.length) throw error;
      return new Promise(function (resolve) { setTimeout(resolve, RETRY_DELAYS_MS[attempt]); })
        .then(function () { return chat(body, attempt + 1); });
    });
  }

  /** Send one chat body; on 404 (expired) start a new session and retry once. */
  function chatOnce(body) {
    var ready = state.id ? Promise.resolve(state.id) : newSession();
    return ready.then(function (id) {
      return api("POST", "api/chat", Object.assign({ conversation_id: id }, body));
    }).then(function (res) {
      if (res.status !== 404) return res;
      return newSession().then(function (id) {
        addMessage({ role: "note", text: TEXT.expired });
        return api("POST", "api/chat", Object.assign({ conversation_id: id }, body));
      });
    }, function (error) {
      if (error.response) return error.response; // session refused (e.g. 429)
      throw error;
    });
  }

  function waitText(res) {
    var seconds = parseInt(res.retryAfter, 10);
    return TEXT.slowDown.replace("{n}", String(seconds > 0 ? seconds : 10));
  }

  /** Return the words to show for a failed response. */
  function errorText(res) {
    if (res.status === 413) return TEXT.tooLong;
    if (res.status === 429) return waitText(res);
    // Otherwise prefer the server's own kind wording (shown as text), then ours.
    if (res.data && typeof res.data.message === "string" && res.data.message) return res.data.message;
    return res.status === 403 ? TEXT.notOffered : TEXT.failed;
  }

  // ---- DOM ----------------------------------------------------------------

  var ids = { title: "snav-title", log: "snav-log", input: "snav-input", error: "snav-error", panel: "snav-panel" };

  var launcher = el("button", {
    type: "button", "class": "snav-launcher", "aria-haspopup": "dialog",
    "aria-controls": ids.panel, "aria-expanded": "false"
  }, [chatIcon(), el("span", {}, TITLE)]);

  var closeButton = el("button", { type: "button", "class": "snav-close", "aria-label": "Close chat" },
    el("span", { "aria-hidden": "true" }, "\u00d7"));

  var header = el("div", { "class": "snav-header" }, [
    el("div", { "class": "snav-heading" }, [
      el("h2", { id: ids.title, "class": "snav-title" }, TITLE),
      el("p", { "class": "snav-subtitle" }, "SEND information for families")
    ]),
    closeButton
  ]);

  var notice = el("p", { "class": "snav-notice" }, [
    TEXT.notice,
    externalLink(new URL("privacy", BASE).href, TEXT.privacy),
    "."
  ]);

  var log = el("div", {
    id: ids.log, "class": "snav-log", role: "log", "aria-live": "polite", "aria-label": "Conversation"
  });

  var typing = el("div", { "class": "snav-typing", "aria-hidden": "true", hidden: true }, [
    el("span", { "class": "snav-dot" }), el("span", { "class": "snav-dot" }), el("span", { "class": "snav-dot" })
  ]);

  // The scroller is focusable so keyboard users can scroll a long answer.
  var scroller = el("div", { "class": "snav-scroll", tabindex: "0", "aria-label": "Conversation history" },
    [notice, log, typing]);

  // Polite announcements that are not messages: typing, thanks, deletions.
  var status = el("div", { "class": "snav-sr", role: "status" });

  var errorLine = el("p", { id: ids.error, "class": "snav-error", "aria-live": "polite" });

  var input = el("textarea", {
    id: ids.input, "class": "snav-input", rows: "2", autocomplete: "off",
    placeholder: "Type your question", "aria-describedby": ids.error + " snav-hint"
  });
  var sendButton = el("button", { type: "submit", "class": "snav-send" }, "Send");
  var form = el("form", { "class": "snav-form" }, [
    el("label", { "for": ids.input, "class": "snav-sr" }, "Your question"),
    input,
    sendButton,
    el("p", { id: "snav-hint", "class": "snav-sr" }, "Press Enter to send, Shift and Enter for a new line.")
  ]);

  var humanButton = el("button", { type: "button", "class": "snav-link-button" }, "Talk to a person");
  var deleteButton = el("button", { type: "button", "class": "snav-link-button" }, "Delete my conversation");
  var actions = el("div", { "class": "snav-actions" }, [humanButton, deleteButton]);

  var confirmText = el("p", { "class": "snav-confirm-text", tabindex: "-1" }, TEXT.confirmDelete);
  var confirmYes = el("button", { type: "button", "class": "snav-chip snav-chip--danger" }, "Yes, delete it");
  var confirmNo = el("button", { type: "button", "class": "snav-chip" }, "No, keep it");
  var confirmBox = el("div", { "class": "snav-confirm", hidden: true }, [
    confirmText, el("div", { "class": "snav-chips" }, [confirmYes, confirmNo])
  ]);

  var panel = el("div", {
    id: ids.panel, "class": "snav-panel", role: "dialog", "aria-modal": "false",
    "aria-labelledby": ids.title, hidden: true
  }, [header, scroller, confirmBox, errorLine, form, actions, status]);

  var root = el("div", { "class": "snav-root", hidden: true }, [launcher, panel]);

  /** Return a decorative 24x24 SVG icon drawn with one path. */
  function icon(d, className, flip) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", className);
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    if (flip) path.setAttribute("transform", "rotate(180 12 12)");
    svg.appendChild(path);
    return svg;
  }

  function chatIcon() {
    return icon("M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z", "snav-icon");
  }

  // An SVG rather than the emoji, which some computers have no font for. Path from
  // Material Icons "thumb_up" (Apache License 2.0); thumbs down is the same, turned over.
  function thumbIcon(down) {
    return icon("M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 " +
      "7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z",
      "snav-thumb", down);
  }

  // ---- rendering ----------------------------------------------------------

  /** Append paragraphs, bullet lists and (for answers) source links, keeping the text's own order. */
  function renderText(container, text, sources) {
    var sourcesShown = false;
    String(text || "").split(/\n[ \t]*\n/).forEach(function (para) {
      var lines = [];
      var bullets = null;
      function flush() {
        if (lines.join("").trim()) container.appendChild(el("p", {}, lines.join("\n").trim()));
        lines = [];
      }
      function flushBullets() {
        if (bullets) container.appendChild(bullets);
        bullets = null;
      }
      para.split("\n").forEach(function (line) {
        // The answer text lists "title: url" for each source; show those as tidy links instead.
        if (sources.length && sources.some(function (s) { return s.url && line.indexOf(s.url) !== -1; })) {
          flush(); flushBullets();
          if (!sourcesShown) container.appendChild(sourceList(sources));
          sourcesShown = true;
          return;
        }
        var bullet = /^\s*[\u2022*-]\s+(.*)$/.exec(line);
        if (bullet) {
          flush();
          bullets = bullets || el("ul", { "class": "snav-list" });
          bullets.appendChild(el("li", {}, bullet[1]));
        } else {
          flushBullets();
          lines.push(line);
        }
      });
      flush(); flushBullets();
    });
    if (sources.length && !sourcesShown) container.appendChild(sourceList(sources));
  }

  function sourceList(sources) {
    var list = el("ul", { "class": "snav-sources", "aria-label": "Sources" });
    sources.forEach(function (source) {
      var title = String(source.title || source.url || "Source");
      var href = safeUrl(source.url);
      if (href) {
        list.appendChild(el("li", {}, externalLink(href, [
          el("span", { "class": "snav-source-title" }, title),
          el("span", { "class": "snav-source-host" }, " " + new URL(href).hostname.replace(/^www\./, ""))
        ])));
      } else {
        list.appendChild(el("li", { "class": "snav-source-text" }, title + " (" + String(source.url || "") + ")"));
      }
    });
    return list;
  }

  function sourcesOf(msg) {
    var custom = msg.custom;
    if (!custom || custom.type !== "answer" || !Array.isArray(custom.sources)) return [];
    return custom.sources.filter(function (s) { return s && typeof s === "object"; });
  }

  /** Build the element for one stored message. */
  function renderMessage(msg) {
    if (msg.role === "note") {
      return el("div", { "class": "snav-note" }, msg.text);
    }
    var mine = msg.role === "user";
    var bubble = el("div", { "class": "snav-bubble" }, srOnly(mine ? "You said: " : BOT_NAME + " said: "));
    if (mine) bubble.appendChild(el("p", {}, String(msg.text || "")));
    else renderText(bubble, msg.text, sourcesOf(msg));
    var item = el("div", { "class": "snav-msg " + (mine ? "snav-msg--user" : "snav-msg--bot") }, bubble);
    if (!mine && msg.custom && msg.custom.type === "answer" && typeof msg.custom.kb_id === "string") {
      item.appendChild(feedbackRow(msg));
    }
    if (!mine && letters[msg.letterKey]) {
      item.appendChild(letterLink(letters[msg.letterKey]));
    }
    var deadline = mine ? null : futureDeadline(msg);
    if (deadline) item.appendChild(calendarButton(deadline));
    if (!mine && Array.isArray(msg.buttons) && msg.buttons.length && !msg.retired) {
      item.appendChild(replyButtons(msg.buttons));
    }
    return item;
  }

  // Letter files live in this page's memory only: never in localStorage, gone on reload.
  var letters = {};

  function letterLink(letter) {
    var bytes = Uint8Array.from(atob(letter.docx), function (c) { return c.charCodeAt(0); });
    var blob = new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
    var link = el("a", { href: URL.createObjectURL(blob), download: letter.name, "class": "snav-download" }, TEXT.download);
    return el("p", {}, link);
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** Return the message's worked-out deadline {rule, due} if its date is still to come, else null. */
  function futureDeadline(msg) {
    var d = msg.custom && msg.custom.deadline;
    if (!d || typeof d.rule !== "string" || typeof d.due !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(d.due)) return null;
    var now = new Date();
    var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
    return d.due > today ? { rule: d.rule, due: d.due } : null;
  }

  function calendarButton(deadline) {
    var chip = el("button", { type: "button", "class": "snav-chip snav-calendar" }, TEXT.calendar);
    chip.addEventListener("click", function () { downloadCalendar(deadline); });
    return el("p", {}, chip);
  }

  /** Ask the server for the deadline's .ics file and save it through a short-lived object URL. */
  function downloadCalendar(deadline) {
    if (!state.id) { showError(TEXT.calendarExpired); return; }
    fetch(new URL("api/calendar", BASE).href, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ conversation_id: state.id, rule: deadline.rule, due: deadline.due }),
      credentials: "omit"
    }).then(function (response) {
      if (response.ok) return response.blob();
      showError(response.status === 404 ? TEXT.calendarExpired : TEXT.failed);
      return null;
    }).then(function (blob) {
      if (!blob) return;
      var url = URL.createObjectURL(blob);
      var link = el("a", { href: url, download: "send-deadline-" + deadline.rule + ".ics", hidden: true });
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      announce(TEXT.calendarSaved);
    }, function () { showError(TEXT.offline); });
  }

  function replyButtons(buttons) {
    var row = el("div", { "class": "snav-chips snav-replies" });
    buttons.forEach(function (button) {
      if (!button || typeof button.payload !== "string") return;
      var title = String(button.title || button.payload);
      var chip = el("button", { type: "button", "class": "snav-chip" }, title);
      chip.addEventListener("click", function () { send({ payload: button.payload }, title); });
      row.appendChild(chip);
    });
    return row;
  }

  /** After a thumbs down, offer a person: the escalation route for an answer that did not help. */
  function helpChip() {
    var chip = el("button", { type: "button", "class": "snav-chip" }, TEXT.stillNeedHelp);
    chip.addEventListener("click", function () { send({ payload: "/request_human" }, TEXT.stillNeedHelp); });
    return chip;
  }

  function feedbackRow(msg) {
    var row = el("div", { "class": "snav-feedback" });
    if (msg.feedback) {
      row.appendChild(el("p", { "class": "snav-thanks" }, TEXT.thanks));
      if (msg.feedback === "down") row.appendChild(helpChip());
      return row;
    }
    // Visible words as well as icons: the words are part of each button's accessible name,
    // so "click Helped" works for voice control too.
    var up = el("button", { type: "button", "class": "snav-vote", "aria-label": "This answer helped" },
      [thumbIcon(false), el("span", { "aria-hidden": "true" }, "Helped")]);
    var down = el("button", { type: "button", "class": "snav-vote", "aria-label": "This answer did not help" },
      [thumbIcon(true), el("span", { "aria-hidden": "true" }, "Did not help")]);
    row.appendChild(up);
    row.appendChild(down);
    up.addEventListener("click", function () { vote(msg, true, row); });
    down.addEventListener("click", function () { vote(msg, false, row); });
    return row;
  }

  function renderWelcome() {
    var item = el("div", { "class": "snav-msg snav-msg--bot snav-welcome" });
    var bubble = el("div", { "class": "snav-bubble" });
    renderText(bubble, TEXT.welcome, []);
    item.appendChild(bubble);
    if (!state.messages.length) {
      var row = el("div", { "class": "snav-chips snav-replies" });
      STARTERS.forEach(function (question) {
        var chip = el("button", { type: "button", "class": "snav-chip" }, question);
        chip.addEventListener("click", function () { send({ text: question }, question); });
        row.appendChild(chip);
      });
      item.appendChild(row);
    }
    return item;
  }

  function renderAll() {
    log.textContent = "";
    log.appendChild(renderWelcome());
    state.messages.forEach(function (msg) {
      log.appendChild(renderMessage(msg));
    });
  }

  /** Store and show a message; return its element. */
  function addMessage(msg) {
    state.messages.push(msg);
    save();
    var node = renderMessage(msg);
    log.appendChild(node);
    return node;
  }

  /** Remove earlier reply buttons: "Tell me more" only makes sense for the latest answer. */
  function retireButtons() {
    state.messages.forEach(function (msg) { if (msg.buttons) msg.retired = true; });
    [].forEach.call(log.querySelectorAll(".snav-replies"), function (row) { row.remove(); });
  }

  function scrollTo(node) {
    // Show the start of a reply rather than its end, so long answers are read from the top.
    var top = node.offsetTop - 8;
    scroller.scrollTo({ top: top, behavior: reducedMotion() ? "auto" : "smooth" });
  }

  var announceTimer = 0;
  function announce(text) {
    window.clearTimeout(announceTimer);
    status.textContent = "";
    // Setting the words after a tick makes screen readers read a repeated message again.
    if (text) announceTimer = window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function showError(text) {
    errorLine.textContent = text;
  }

  function setBusy(on) {
    busy = on;
    typing.hidden = !on;
    // No aria-busy here: it would silence the live regions inside the panel, typing included.
    announce(on ? TEXT.typing : "");
    if (on) scroller.scrollTop = scroller.scrollHeight;
  }

  // ---- actions ------------------------------------------------------------

  /** Send typed text or a button payload, showing `label` as the parent's message. */
  function send(body, label) {
    if (busy) return;
    showError("");
    if (body.text !== undefined) {
      if (!body.text.trim()) return;
      if (body.text.length > MAX_CHARS) { showError(TEXT.tooLong); return; }
    }
    var typed = body.text !== undefined && input.value === body.text;
    var mine = { role: "user", text: label };
    var mineNode = addMessage(mine);
    if (typed) input.value = "";
    scrollTo(mineNode);
    setBusy(true);
    // One id per message, kept for the retries: the server answers a retry Rasa has already read with the
    // same replies instead of reading it twice.
    var id = messageId();
    chat(id ? Object.assign({ message_id: id }, body) : body).then(function (res) {
      setBusy(false);
      if (res.status === 200 && res.data && Array.isArray(res.data.messages)) {
        retireButtons();
        // A pressed reply button has now gone; put keyboard focus back in the question box.
        if (!document.activeElement || document.activeElement === document.body) input.focus();
        showReplies(res.data.messages);
        return;
      }
      undo(mine, mineNode, typed ? body.text : null);
      showError(errorText(res));
    }, function () {
      setBusy(false);
      undo(mine, mineNode, typed ? body.text : null);
      showError(TEXT.offline);
    });
  }

  /** Return 32 random hex digits for one message, or null where the browser has no crypto. */
  function messageId() {
    if (!window.crypto || !window.crypto.getRandomValues) return null;
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  /** Take back a message the server did not accept, and give the typed words back. */
  function undo(msg, node, text) {
    state.messages = state.messages.filter(function (m) { return m !== msg; });
    save();
    node.remove();
    if (text !== null && !input.value) input.value = text;
  }

  function showReplies(messages) {
    var first = null;
    messages.forEach(function (reply) {
      if (!reply || typeof reply !== "object") return;
      var msg = {
        role: "bot",
        text: typeof reply.text === "string" ? reply.text : "",
        buttons: Array.isArray(reply.buttons) ? reply.buttons.filter(function (b) { return b && typeof b === "object"; })
          .map(function (b) { return { title: String(b.title || ""), payload: String(b.payload || "") }; }) : [],
        custom: reply.custom && typeof reply.custom === "object" ? reply.custom : null
      };
      if (msg.custom && msg.custom.type === "letter" && typeof msg.custom.docx_base64 === "string") {
        msg.letterKey = "l" + Date.now() + Math.random();
        letters[msg.letterKey] = { docx: msg.custom.docx_base64, name: String(msg.custom.template || "letter") + ".docx" };
        msg.custom = { type: "letter", template: msg.custom.template, title: msg.custom.title };
      }
      if (!msg.text && !msg.buttons.length && !sourcesOf(msg).length) return;
      var node = addMessage(msg);
      first = first || node;
    });
    if (first) scrollTo(first);
  }

  function vote(msg, helpful, row) {
    if (!state.id) return;
    api("POST", "api/feedback", { conversation_id: state.id, kb_id: msg.custom.kb_id, helpful: helpful })
      .then(function (res) {
        if (res.status >= 200 && res.status < 300) {
          msg.feedback = helpful ? "up" : "down";
          save();
          var thanks = el("p", { "class": "snav-thanks", tabindex: "-1" }, TEXT.thanks);
          row.textContent = "";
          row.appendChild(thanks);
          if (!helpful) row.appendChild(helpChip());
          thanks.focus(); // the pressed button has gone; keep focus at the same place
          announce(TEXT.thanks);
        } else {
          showError(res.status === 404 ? TEXT.feedbackExpired : res.status === 429 ? waitText(res) : TEXT.failed);
        }
      }, function () { showError(TEXT.offline); });
  }

  function askDelete() {
    confirmBox.hidden = false;
    confirmText.focus();
  }

  function cancelDelete() {
    confirmBox.hidden = true;
    deleteButton.focus();
  }

  function forgetLocally() {
    state.id = null;
    state.messages = [];
    writeStore("localStorage", STORE_KEY, null);
    renderAll();
  }

  function confirmDelete() {
    var done = function () {
      confirmBox.hidden = true;
      forgetLocally();
      log.appendChild(el("div", { "class": "snav-note" }, TEXT.deleted));
      input.focus();
    };
    if (!state.id) { done(); return; }
    api("DELETE", "api/conversation", { conversation_id: state.id }).then(function (res) {
      // 404: the server had already forgotten it, which is what the parent asked for.
      if (res.status === 204 || res.status === 200 || res.status === 404) done();
      else showError(TEXT.deleteFailed);
    }, function () { showError(TEXT.deleteFailed); });
  }

  /** Fetch volunteer answers not yet shown, show them once, then acknowledge them. */
  function checkUpdates() {
    if (!state.id) return;
    api("POST", "api/updates", { conversation_id: state.id }).then(function (res) {
      if (res.status !== 200 || !res.data || !Array.isArray(res.data.messages)) return;
      var shown = state.delivered || (state.delivered = []);
      var fresh = res.data.messages.filter(function (m) {
        return m && m.custom && typeof m.custom.delivery_id === "number" && shown.indexOf(m.custom.delivery_id) === -1;
      });
      var ids = res.data.messages.map(function (m) { return m && m.custom && m.custom.delivery_id; })
        .filter(function (id) { return typeof id === "number"; });
      if (fresh.length) {
        fresh.forEach(function (m) { shown.push(m.custom.delivery_id); });
        save();
        showReplies(fresh);
        announce(fresh.some(function (m) { return m.custom.type === "volunteer_answer"; })
          ? TEXT.volunteerArrived : TEXT.volunteerNews);
      }
      if (ids.length) api("POST", "api/updates/ack", { conversation_id: state.id, delivery_ids: ids });
    }, function () { /* offline: try again next time */ });
  }
  window.setInterval(function () { if (!panel.hidden) checkUpdates(); }, POLL_MS);

  function open(moveFocus) {
    checkUpdates();
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    writeStore("sessionStorage", OPEN_KEY, true);
    if (moveFocus) input.focus();
    var last = log.lastElementChild;
    if (last && state.messages.length) scroller.scrollTop = scroller.scrollHeight;
  }

  function close() {
    panel.hidden = true;
    confirmBox.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    writeStore("sessionStorage", OPEN_KEY, null);
    launcher.focus();
  }

  // ---- wiring -------------------------------------------------------------

  launcher.addEventListener("click", function () { open(true); });
  closeButton.addEventListener("click", close);
  humanButton.addEventListener("click", function () { send({ payload: "/request_human" }, "Talk to a person"); });
  deleteButton.addEventListener("click", askDelete);
  confirmYes.addEventListener("click", confirmDelete);
  confirmNo.addEventListener("click", cancelDelete);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send({ text: input.value }, input.value.trim());
  });
  input.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter adds a line; never interrupt an input method composing a word.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  input.addEventListener("input", function () { if (errorLine.textContent) showError(""); });
  panel.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    event.preventDefault();
    if (!confirmBox.hidden) cancelDelete(); else close();
  });

  renderAll();

  // Show the widget only once its stylesheet has loaded, so the page never flashes unstyled controls.
  var css = el("link", { rel: "stylesheet", href: new URL("widget.css", BASE).href });
  css.addEventListener("load", function () { root.hidden = false; });
  css.addEventListener("error", function () { root.hidden = false; });
  document.head.appendChild(css);
  document.body.appendChild(root);

  // Keep the chat open as the parent moves between pages of the same site (this tab only).
  if (readStore("sessionStorage", OPEN_KEY)) open(false);
})();

import { createHash } from 'node:crypto';

/**
 * The dashboard: one self-contained page (inline CSS and script, nothing fetched from anywhere
 * but this server's /dashboard/data), so it works with no build step and offline. The page
 * holds no data itself; it polls the JSON each second with the key the user gives it, and
 * counts resets down between polls from the server's own "seconds until" figures, so a
 * browser with a wrong clock still shows the right countdown.
 */
export const dashboardPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>switchyard pool</title>
<link rel="icon" href="data:,">
<style>
  :root { color-scheme: light dark; --muted: #6e7781; }
  :root { --ready: #1a7f37; --cooling: #bf8700; --exhausted: #cf222e; --login: #8250df; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 1.25rem 1.5rem; }
  header { display: flex; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
  h1 { font-size: 1.3rem; margin: 0; }
  h2 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; display: flex; gap: .5rem; align-items: baseline; }
  .muted { color: var(--muted); }
  .tag { font-size: .75rem; border: 1px solid currentColor; border-radius: 999px; padding: 0 .5rem; }
  table { border-collapse: collapse; width: 100%; max-width: 80rem; }
  th, td { text-align: left; padding: .35rem .6rem; white-space: nowrap; }
  th, td { border-bottom: 1px solid rgba(127,127,127,.25); }
  th { font-weight: 600; font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
  td.number { text-align: right; font-variant-numeric: tabular-nums; }
  .state { font-weight: 600; }
  .state-ready .state { color: var(--ready); }
  .state-cooling .state { color: var(--cooling); }
  .state-exhausted .state { color: var(--exhausted); }
  .state-needs-login .state { color: var(--login); }
  tr.traffic td:first-child::before { content: "\\25B6\\00A0"; color: var(--ready); }
  .countdown { font-variant-numeric: tabular-nums; }
  #problem { color: var(--exhausted); }
  form { margin: 1rem 0; display: flex; gap: .5rem; }
  [hidden] { display: none !important; }
  input { font: inherit; padding: .3rem .5rem; min-width: 22rem; }
  .error { color: var(--exhausted); }
</style>
</head>
<body>
<header>
  <h1>switchyard pool</h1>
  <span id="summary" class="muted">loading&hellip;</span>
  <span id="problem" role="alert"></span>
</header>
<form id="key-form" hidden>
  <label for="key">Admin key</label>
  <input id="key" type="password" autocomplete="off" placeholder="SWITCHYARD_ADMIN_KEY (or SWITCHYARD_API_KEY)">
  <button type="submit">Show the pool</button>
</form>
<main id="profiles"></main>
<script>
"use strict";
(function () {
  var pollMs = 1000;
  var key = sessionStorage.getItem("switchyard-key") || "";
  var fragment = /(?:^#|&)key=([^&]+)/.exec(location.hash);
  if (fragment) {
    key = decodeURIComponent(fragment[1]);
    sessionStorage.setItem("switchyard-key", key);
    history.replaceState(null, "", location.pathname);
  }
  var profilesElement = document.getElementById("profiles");
  var summary = document.getElementById("summary");
  var problem = document.getElementById("problem");
  var form = document.getElementById("key-form");
  var timer = null;

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    key = document.getElementById("key").value.trim();
    sessionStorage.setItem("switchyard-key", key);
    form.hidden = true;
    poll();
  });

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function span(seconds) {
    seconds = Math.max(0, Math.ceil(seconds));
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    var two = function (value) { return (value < 10 ? "0" : "") + value; };
    return hours > 0 ? hours + ":" + two(minutes) + ":" + two(rest) : minutes + ":" + two(rest);
  }

  function ago(seconds) {
    if (seconds === null) return "never";
    if (seconds < 60) return seconds + " s ago";
    if (seconds < 3600) return Math.round(seconds / 60) + " min ago";
    if (seconds < 172800) return Math.round(seconds / 3600) + " h ago";
    return Math.round(seconds / 86400) + " days ago";
  }

  function stateLabel(state) {
    return state === "needs-login" ? "needs login" : state;
  }

  function bucketRow(entry, receivedAt) {
    var row = element("tr", "state-" + entry.state + (entry.takesTraffic ? " traffic" : ""));
    row.dataset.bucket = entry.key;
    row.dataset.state = entry.state;
    row.appendChild(element("td", "number", entry.position));
    var name = element("td", "bucket", entry.key);
    if (entry.via && entry.model) name.title = "via " + entry.via + ", model " + entry.model;
    row.appendChild(name);
    var state = element("td", "state", stateLabel(entry.state));
    if (entry.reason) state.title = entry.reason;
    row.appendChild(state);
    var reset = element("td", "reset");
    if (entry.availableInSeconds !== null) {
      var countdown = element("span", "countdown", span(entry.availableInSeconds));
      countdown.dataset.until = String(receivedAt + entry.availableInSeconds * 1000);
      countdown.title = "available again at " + entry.availableAt;
      reset.appendChild(countdown);
    } else {
      var login = "switchyard auth " + entry.provider + " login " + entry.bucket;
      reset.textContent = entry.state === "needs-login" ? login : "\\u2014";
      if (entry.state === "needs-login") reset.className = "reset muted";
    }
    row.appendChild(reset);
    row.appendChild(element("td", "number requests", entry.requests));
    var success = entry.successRate === null ? "\\u2014" : Math.round(entry.successRate * 1000) / 10 + " %";
    row.appendChild(element("td", "number success", success));
    var tokens = (entry.inputTokens + entry.outputTokens).toLocaleString() +
      " (" + entry.inputTokens.toLocaleString() + " in / " + entry.outputTokens.toLocaleString() + " out)";
    row.appendChild(element("td", "number tokens", tokens));
    row.appendChild(element("td", "last-used", ago(entry.lastUsedSecondsAgo)));
    return row;
  }

  function render(view, receivedAt) {
    var fragment = document.createDocumentFragment();
    view.profiles.forEach(function (profile) {
      var section = element("section", "profile");
      section.dataset.profile = profile.name;
      var heading = element("h2", null, profile.name);
      if (profile.active) heading.appendChild(element("span", "tag", "active"));
      if (profile.policy) heading.appendChild(element("span", "tag muted", profile.policy));
      if (profile.source === "example") heading.appendChild(element("span", "tag muted", "example"));
      section.appendChild(heading);
      if (profile.error) {
        section.appendChild(element("p", "error", profile.error));
      } else {
        var table = element("table");
        var head = element("tr");
        var titles = ["#", "bucket", "state", "resets in", "requests", "success", "tokens", "last used"];
        titles.forEach(function (title) { head.appendChild(element("th", null, title)); });
        table.appendChild(element("thead")).appendChild(head);
        var body = table.appendChild(element("tbody"));
        profile.chain.forEach(function (entry) { body.appendChild(bucketRow(entry, receivedAt)); });
        section.appendChild(table);
      }
      fragment.appendChild(section);
    });
    profilesElement.replaceChildren(fragment);
    var count = function (state) {
      return view.buckets.filter(function (bucket) { return bucket.state === state; }).length;
    };
    summary.textContent = view.buckets.length + " buckets: " + count("ready") + " ready, " +
      (count("cooling") + count("exhausted")) + " resting, " + count("needs-login") + " need login" +
      " \\u00B7 active profile: " + (view.profile || "none") + " \\u00B7 updated " + new Date().toLocaleTimeString();
  }

  function tick() {
    var now = performance.now();
    var countdowns = document.querySelectorAll(".countdown");
    for (var index = 0; index < countdowns.length; index += 1) {
      var left = (Number(countdowns[index].dataset.until) - now) / 1000;
      countdowns[index].textContent = left > 0 ? span(left) : "now";
    }
  }

  function poll() {
    clearTimeout(timer);
    var headers = key ? { authorization: "Bearer " + key } : {};
    fetch("/dashboard/data", { headers: headers, cache: "no-store" })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          form.hidden = false;
          problem.textContent =
            response.status === 403
              ? "That key may not see the pool: give SWITCHYARD_ADMIN_KEY (or SWITCHYARD_API_KEY)."
              : key
                ? "That key was refused."
                : "This switchyard needs a key to show the pool.";
          return null;
        }
        if (!response.ok) throw new Error("the server answered " + response.status);
        return response.json();
      })
      .then(function (view) {
        if (view === null) return;
        problem.textContent = "";
        render(view, performance.now());
        timer = setTimeout(poll, pollMs);
      })
      .catch(function (error) {
        problem.textContent = "Cannot reach switchyard (" + error.message + "); retrying.";
        timer = setTimeout(poll, pollMs * 3);
      });
  }

  setInterval(tick, 250);
  poll();
})();
</script>
</body>
</html>
`;

/** The SHA-256 of the page's one inline `tag` block, in the form a content security policy names it. */
function inlineHash(tag: 'script' | 'style'): string {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(dashboardPage);
  if (!match) throw new Error(`the dashboard page has no <${tag}> block`);
  return `'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`;
}

/**
 * The page may run only its own inline script and style (named by hash, so nothing injected
 * could run) and talk only to this server: nothing is loaded from outside the machine.
 */
export const dashboardContentPolicy = [
  "default-src 'none'",
  `script-src ${inlineHash('script')}`,
  `style-src ${inlineHash('style')}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

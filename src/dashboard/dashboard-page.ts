/**
 * The dashboard's shell: a small page whose script, styles and chart library are files this
 * server serves under /dashboard/assets/ (assets/dashboard/ and node_modules/uplot), so it works
 * offline and nothing is fetched from a CDN. The page holds no data itself: each view polls its
 * `/dashboard/data/...` JSON with the key the user gives it.
 */
export const dashboardPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>switchyard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/assets/uplot.css">
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<script src="/dashboard/assets/locale-guard.js" defer></script>
<script src="/dashboard/assets/uplot.js" defer></script>
<script type="module" src="/dashboard/assets/dashboard.js"></script>
</head>
<body>
<header>
  <h1>switchyard</h1>
  <span id="summary" class="muted">loading&hellip;</span>
  <span id="problem" role="alert"></span>
</header>
<form id="key-form" hidden>
  <label for="key">Admin key</label>
  <input id="key" type="password" autocomplete="off" placeholder="SWITCHYARD_ADMIN_KEY (or SWITCHYARD_API_KEY)">
  <button type="submit">Show the pool</button>
</form>
<nav role="tablist" aria-label="Views" id="tabs">
  <button type="button" role="tab" id="tab-overview" aria-controls="view-overview"
    aria-selected="true">Overview</button>
  <button type="button" role="tab" id="tab-buckets" aria-controls="view-buckets"
    aria-selected="false" tabindex="-1">Buckets</button>
  <button type="button" role="tab" id="tab-requests" aria-controls="view-requests"
    aria-selected="false" tabindex="-1">Requests</button>
  <button type="button" role="tab" id="tab-usage" aria-controls="view-usage"
    aria-selected="false" tabindex="-1">Usage</button>
  <button type="button" role="tab" id="tab-quota" aria-controls="view-quota"
    aria-selected="false" tabindex="-1">Quota</button>
</nav>
<main>
  <section id="view-overview" role="tabpanel" aria-labelledby="tab-overview" tabindex="0">
    <div id="profiles"></div>
    <div class="chart-controls">
      <label for="series-range">Charts over the last</label>
      <select id="series-range"><option value="hour">hour</option><option value="day">day</option>
        <option value="week">week</option></select>
      <label for="series-by">per</label>
      <select id="series-by"><option value="bucket">bucket</option><option value="client">client</option></select>
    </div>
    <div id="charts" class="charts"></div>
  </section>
  <section id="view-buckets" role="tabpanel" aria-labelledby="tab-buckets" tabindex="0" hidden>
    <div id="bucket-list"></div>
    <div id="bucket-actions"></div>
  </section>
  <section id="view-requests" role="tabpanel" aria-labelledby="tab-requests" tabindex="0" hidden>
    <div class="controls">
      <label for="request-search">Search</label>
      <input id="request-search" type="search" placeholder="client, profile, model, bucket, status">
      <label for="request-status">Status</label>
      <select id="request-status"><option value="">any</option><option value="ok">succeeded</option>
        <option value="error">failed</option></select>
      <button type="button" id="request-csv">Export CSV</button>
    </div>
    <p id="request-note" class="muted"></p>
    <div id="request-log"></div>
    <div id="request-bodies" aria-live="polite"></div>
  </section>
  <section id="view-usage" role="tabpanel" aria-labelledby="tab-usage" tabindex="0" hidden>
    <div id="usage"></div>
  </section>
  <section id="view-quota" role="tabpanel" aria-labelledby="tab-quota" tabindex="0" hidden>
    <div id="quota"></div>
  </section>
</main>
</body>
</html>
`;

/**
 * The page may run only scripts and styles this server serves (no inline code, so nothing
 * injected into it could run) and talk only to this server: nothing loads from outside the machine.
 */
export const dashboardContentPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// The sign-in page of the interactive flow: plain HTML, every value escaped.

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function loginPage(input: { directoryName: string; action: string; hidden: Record<string, string>; username?: string; error?: string }): string {
  const hidden = Object.entries(input.hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('\n      ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in to ${escapeHtml(input.directoryName)} - Vigil</title>
  <style>
    body { font-family: "Segoe UI", system-ui, sans-serif; background: #f3f2f1; margin: 0; display: grid; place-items: center; min-height: 100vh; }
    main { background: #fff; padding: 44px; width: 340px; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
    h1 { font-size: 24px; font-weight: 600; margin: 0 0 4px; }
    p.directory { color: #605e5c; margin: 0 0 24px; }
    label { display: block; font-size: 14px; margin: 12px 0 4px; }
    input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: 8px; border: 1px solid #8a8886; font-size: 15px; }
    button { margin-top: 24px; background: #0f6cbd; color: #fff; border: 0; padding: 8px 24px; font-size: 15px; cursor: pointer; }
    .error { color: #a4262c; margin: 12px 0 0; }
  </style>
</head>
<body>
  <main>
    <h1>Sign in</h1>
    <p class="directory">${escapeHtml(input.directoryName)}</p>
    <form method="post" action="${escapeHtml(input.action)}">
      ${hidden}
      <label for="username">Email or user name</label>
      <input id="username" name="username" type="text" autocomplete="username" required value="${escapeHtml(input.username ?? '')}" autofocus>
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>
      ${input.error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(input.error)}</p>`}
      <button type="submit">Sign in</button>
    </form>
  </main>
</body>
</html>`;
}

export function errorPage(title: string, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} - Vigil</title></head>
<body style="font-family: system-ui, sans-serif; margin: 40px"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
}

// KQL's `// comments` taken out of a text, strings left as they are. One scanner for the places
// that read KQL text before (or without) the analyser: literals whose node text carries the
// comments above them, and parser files whose shape is read from their text.

/**
 * `text` without its `// ...` comments (each replaced by the line break that ends it). Quotes
 * are followed as KQL has them: "..." and '...' with backslash escapes, verbatim @"..." and
 * @'...' without (a doubled quote is the quote), and ``` multi-line strings ```.
 */
export function withoutComments(text: string): string {
  if (!text.includes('//')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (text.startsWith('```', i)) {
      const end = text.indexOf('```', i + 3);
      const stop = end < 0 ? text.length : end + 3;
      out += text.slice(i, stop);
      i = stop;
    } else if ((ch === '@' && (text[i + 1] === '"' || text[i + 1] === "'"))) {
      const quote = text[i + 1]!;
      let j = i + 2;
      while (j < text.length) {
        if (text[j] === quote) {
          if (text[j + 1] === quote) { j += 2; continue; }
          break;
        }
        j++;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

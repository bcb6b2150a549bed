/**
 * Atlassian's error text, pulled out of each API family's own error shape (API-NOTES §4). The result becomes an
 * `AtlassianError`'s `detail` (which scrubs and truncates it); nothing else from an error body is kept.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

/** `{"errors":[{title, detail, code}]}`: Confluence Cloud v2, Admin ApplicationErrors, Admin v2. */
function fromErrorArray(errors: unknown[]): string[] {
  const out: string[] = [];
  for (const e of errors) {
    if (!isRecord(e)) continue;
    const title = typeof e['title'] === 'string' ? e['title'] : undefined;
    const detail = typeof e['detail'] === 'string' ? e['detail'] : undefined;
    const message = typeof e['message'] === 'string' ? e['message'] : undefined;
    const text = [title, detail ?? message].filter(Boolean).join(': ');
    if (text) out.push(text);
    else if (typeof e['code'] === 'string') out.push(e['code']);
  }
  return out;
}

/**
 * The human message of an error body, or undefined when there is none worth showing. Handles:
 * - Jira ErrorCollection `{errorMessages: [...], errors: {field: message}}` (Cloud and DC);
 * - Confluence v2 and Admin `{errors: [{title, detail}]}`;
 * - Confluence v1/DC `{statusCode, message, reason}`, Admin ProxyError `{code, message}`, the Jira edge's
 *   `{message, "status-code"}` and the Admin `/domains` 403 `{error, message}`;
 * - Admin user management `{key, context: {message}}`;
 * - short plain-text bodies (`Basic authentication with passwords is deprecated…`), but never HTML.
 */
export function extractErrorMessage(body: unknown, text: string, contentType: string | null): string | undefined {
  if (isRecord(body)) {
    const parts: string[] = [...strings(body['errorMessages'])];
    const errors = body['errors'];
    if (isRecord(errors)) {
      for (const [field, message] of Object.entries(errors))
        if (typeof message === 'string') parts.push(`${field}: ${message}`);
    } else if (Array.isArray(errors)) {
      parts.push(...fromErrorArray(errors));
    }
    if (parts.length === 0 && typeof body['message'] === 'string' && body['message'].trim() !== '')
      parts.push(body['message']);
    if (parts.length === 0 && typeof body['key'] === 'string') {
      const context = body['context'];
      const message = isRecord(context) && typeof context['message'] === 'string' ? context['message'] : undefined;
      parts.push(message ? `${body['key']}: ${message}` : body['key']);
    }
    if (parts.length === 0 && typeof body['error'] === 'string') parts.push(body['error']);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  if (body !== undefined) return undefined;
  const trimmed = text.trim();
  if (!trimmed || /html/i.test(contentType ?? '') || /^<(!doctype|html|\?xml)/i.test(trimmed)) return undefined;
  return trimmed.split('\n')[0];
}

/**
 * The permission a 403 names as missing, when Atlassian's text names one, e.g. "Browse users and groups permission
 * is required to view groups." → "Browse users and groups".
 */
export function extractMissingPermission(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const required =
    /(?:^|[.;:]\s*)(?:the\s+)?['"]?([A-Z][\w ]{2,60}?)['"]?\s+(?:global\s+|project\s+)?permission(?:s)? (?:is|are) required/i.exec(
      message,
    );
  if (required?.[1]) return required[1].trim();
  const lacking =
    /(?:do not|don't|does not) have (?:the )?['"]?([\w ]{3,60}?)['"]? (?:global |project )?permission/i.exec(message);
  return lacking?.[1]?.trim();
}

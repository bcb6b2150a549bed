// Attachments: `POST issue/{key}/attachments` (multipart), `GET attachment/{id}`, and the content of an attachment.
import type { Attachment, Issue } from '../../../world/types.ts';
import { jiraError } from '../../errors.ts';
import type { RouteContext, Router } from '../../route.ts';
import type { IssueContext } from './issue-context.ts';
import { userDetails } from './issue-beans.ts';
import { touch } from './issue-writes.ts';
import { visibleIssue } from './route-helpers.ts';
import { jiraDate } from './stored-fields.ts';
import { takeIssueWrite } from './write-limit.ts';

/** Cloud: "more than 60 files are requested to be uploaded" is a 413 (the spec's addAttachment 413). */
export const MAX_FILES_PER_UPLOAD = 60;
/**
 * Largest file accepted. Data Center's default `jira.attachment.size` is 10 MiB; Jira Cloud allows up to 1 GiB per
 * file, which is far more than the simulator should hold in memory, so cloud uses the same 10 MiB here.
 */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The multipart part name Jira reads files from ("The name of the multipart/form-data parameter ... must be file"). */
const FILE_PART = 'file';

/** Attachment (cloud) / AttachmentJsonBean (Data Center): the same keys, `content` pointing at the bytes. */
export function attachmentBean(ctx: IssueContext, attachment: Attachment): Record<string, unknown> {
  const bean: Record<string, unknown> = {
    self: `${ctx.apiBase}/attachment/${attachment.id}`,
    id: attachment.id,
    filename: attachment.filename,
  };
  const author = userDetails(ctx, attachment.authorRef);
  if (author) bean['author'] = author;
  bean['created'] = jiraDate(attachment.created);
  bean['size'] = attachment.content.byteLength;
  bean['mimeType'] = attachment.mimeType;
  // Cloud serves bytes under the REST API; Data Center under /secure with the file name in the path.
  bean['content'] =
    ctx.jira.deployment === 'cloud'
      ? `${ctx.apiBase}/attachment/content/${attachment.id}`
      : `${ctx.jira.baseUrl}/secure/attachment/${attachment.id}/${encodeURIComponent(attachment.filename)}`;
  return bean;
}

function findAttachment(
  ctx: IssueContext,
  rc: RouteContext,
  id: string,
): { issue: Issue; attachment: Attachment } | undefined {
  const userRef = ctx.userRef(rc.principal);
  for (const issue of ctx.jira.data.issues) {
    const attachment = issue.attachments.find((a) => a.id === id);
    if (!attachment) continue;
    const project = ctx.projectOf(issue);
    // An attachment on an issue the caller cannot browse is as missing as one that does not exist.
    return project && ctx.canBrowse(userRef, project) ? { issue, attachment } : undefined;
  }
  return undefined;
}

const attachmentMissing = (id: string) => jiraError(404, [`The attachment with id '${id}' does not exist.`]);

async function readFiles(rc: RouteContext): Promise<File[] | undefined> {
  try {
    const form = await rc.c.req.raw.formData();
    return form.getAll(FILE_PART).filter((part): part is File => part instanceof File);
  } catch {
    return undefined;
  }
}

export function registerAttachmentRoutes(router: Router, ctx: IssueContext): void {
  const { api } = ctx;

  router.post(`${api}/issue/:issueIdOrKey/attachments`, async (rc) => {
    // Multipart endpoints are XSRF-protected: without `X-Atlassian-Token: no-check` the request is blocked before
    // Jira looks at the issue, with a bare text body (not an ErrorCollection).
    if ((rc.c.req.header('x-atlassian-token') ?? '').toLowerCase() !== 'no-check') {
      return new Response('XSRF check failed', {
        status: 403,
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      });
    }
    const found = visibleIssue(ctx, rc);
    if (found instanceof Response) return found;
    const limited = takeIssueWrite(ctx, found.issue);
    if (limited) return limited;
    const files = await readFiles(rc);
    if (!files || files.length === 0)
      return jiraError(400, [`No file was sent in a multipart/form-data part named '${FILE_PART}'.`]);
    const cloud = ctx.jira.deployment === 'cloud';
    if (files.length > MAX_FILES_PER_UPLOAD)
      return jiraError(413, [`You can upload at most ${MAX_FILES_PER_UPLOAD} files at once.`]);
    const tooBig = files.find((f) => f.size > MAX_ATTACHMENT_BYTES);
    if (tooBig) {
      const message = `The file '${tooBig.name}' is too large to attach (${tooBig.size} bytes). The limit is ${MAX_ATTACHMENT_BYTES} bytes.`;
      // Data Center documents a size overrun as 404; cloud answers 413.
      return jiraError(cloud ? 413 : 404, [message]);
    }
    const created = new Date(ctx.state.now()).toISOString();
    const added: Attachment[] = [];
    for (const file of files) {
      const attachment: Attachment = {
        id: String(ctx.jira.data.nextAttachmentId++),
        filename: file.name,
        // Jira sniffs the type when the part has none; the simulator falls back to a generic binary type.
        mimeType: file.type === '' ? 'application/octet-stream' : file.type,
        authorRef: found.userRef ?? '',
        created,
        content: new Uint8Array(await file.arrayBuffer()),
      };
      found.issue.attachments.push(attachment);
      added.push(attachment);
    }
    touch(ctx, found.issue);
    return rc.json(
      200,
      added.map((a) => attachmentBean(ctx, a)),
    );
  });

  router.get(`${api}/attachment/:id`, (rc) => {
    const id = rc.params['id'] ?? '';
    const found = findAttachment(ctx, rc, id);
    if (!found) return attachmentMissing(id);
    const bean = attachmentBean(ctx, found.attachment);
    // Cloud's AttachmentMetadata types the id as an integer (the upload's Attachment has it as a string) and adds
    // the attachment's own properties.
    if (ctx.jira.deployment === 'cloud') Object.assign(bean, { id: Number(found.attachment.id), properties: {} });
    return rc.json(200, bean);
  });

  const content = (rc: RouteContext): Response => {
    const id = rc.params['id'] ?? '';
    const found = findAttachment(ctx, rc, id);
    if (!found) return attachmentMissing(id);
    // Cloud redirects to the media service unless `redirect=false`; the simulator always serves the bytes itself.
    return new Response(found.attachment.content, {
      status: 200,
      headers: { 'content-type': found.attachment.mimeType },
    });
  };
  if (ctx.jira.deployment === 'cloud') router.get(`${api}/attachment/content/:id`, content);
  else if (ctx.version === 2) router.get('/secure/attachment/:id/:filename', content);
}

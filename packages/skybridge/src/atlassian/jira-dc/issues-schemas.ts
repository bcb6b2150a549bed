import { z } from 'zod';

/**
 * Jira Data Center issue-write responses (REST v2), as far as the issues client depends on them. The DC spec is not
 * redistributable, so these schemas are the types, written against the Jira DC 10.3 spec (with the defects the
 * simulator's contract tests list: createmeta pages are `values` pages, addAttachment returns an array) and checked
 * by those tests. Objects are not `.strict()`: only the fields listed are checked.
 */

/** The paging fields of a Data Center createmeta page (`{maxResults, startAt, total, isLast, values}`). */
const valuesPageFields = {
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
  isLast: z.boolean().optional(),
};

/** `GET issue/createmeta/{project}/issuetypes` (DC 8.4+) → a page of `CreateMetaIssueTypeBean`. */
export const createMetaIssueTypePageSchema = z.object({
  ...valuesPageFields,
  values: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string(),
      subtask: z.boolean().optional(),
      description: z.string().optional(),
    }),
  ),
});

/** `GET issue/createmeta/{project}/issuetypes/{id}` → a page of `FieldMetaBean` (no `key` in the DC bean). */
export const createMetaFieldPageSchema = z.object({
  ...valuesPageFields,
  values: z.array(
    z.object({
      fieldId: z.string().min(1),
      key: z.string().optional(),
      name: z.string(),
      required: z.boolean(),
      hasDefaultValue: z.boolean().optional(),
      schema: z.object({
        type: z.string(),
        items: z.string().optional(),
        system: z.string().optional(),
        custom: z.string().optional(),
      }),
      allowedValues: z.array(z.unknown()).optional(),
    }),
  ),
});

/** `POST issue` 201 → `IssueCreateResponse`. */
export const createdIssueSchema = z.object({
  id: z.string().min(1),
  key: z.string().min(1),
  self: z.string().optional(),
});

/** `POST issue/bulk` → `{issues, errors: [{status, failedElementNumber, elementErrors}]}`, 201 or 400 alike. */
export const createdIssuesSchema = z.object({
  issues: z.array(createdIssueSchema).optional(),
  errors: z
    .array(
      z.object({
        status: z.number().optional(),
        failedElementNumber: z.number().optional(),
        elementErrors: z
          .object({
            errorMessages: z.array(z.string()).optional(),
            errors: z.record(z.string(), z.string()).optional(),
          })
          .optional(),
      }),
    )
    .optional(),
});

/** `IssueBean`: `fields` values are any JSON (the DC spec mistypes them as objects, API-NOTES §1.2). */
export const issueSchema = z.object({
  id: z.string().min(1),
  key: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});

/** `POST issue/{key}/comment` 201 → `CommentJsonBean`. */
export const commentSchema = z.object({ id: z.string().min(1) });

/** `GET issue/{key}/transitions` → `TransitionsMetaBean` (no `is*` flags on DC). */
export const transitionsSchema = z.object({
  transitions: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string(),
      to: z
        .object({
          id: z.string(),
          name: z.string(),
          statusCategory: z.object({ key: z.string().optional() }).optional(),
        })
        .optional(),
    }),
  ),
});

/** `GET issue/{key}/properties/{propertyKey}` → `EntityPropertyBean`; `value` is any JSON despite the spec. */
export const entityPropertySchema = z.object({ key: z.string(), value: z.unknown() });

/** `GET|POST search` → `SearchResultsBean`: an offset page with `total`. */
export const searchPageSchema = z.object({
  startAt: z.number(),
  maxResults: z.number().optional(),
  total: z.number(),
  issues: z.array(issueSchema),
});

/** `POST issue/{key}/attachments` → an array of `AttachmentJsonBean` (the spec says one bean: a defect). */
export const attachmentListSchema = z.array(
  z.object({
    id: z.string().min(1),
    filename: z.string(),
    size: z.number(),
    mimeType: z.string().optional(),
  }),
);

import { z } from 'zod';
import type { components } from '../generated/jira-cloud.ts';

/**
 * Jira Cloud issue-write responses, as far as the issues client depends on them. Like `schemas.ts`: each schema
 * lists only the fields read, objects are not `.strict()` (Jira adds fields freely), and `SpecAligned` proves at
 * compile time that every field declared exists in the official spec's type with a compatible type.
 */

type Spec = components['schemas'];

type Wire<T> =
  T extends ReadonlyArray<infer U>
    ? Array<Wire<U>>
    : T extends object
      ? { -readonly [K in keyof T]?: Wire<T[K]> | undefined }
      : T;
type SpecAligned<Out, T> = [Exclude<keyof Out, keyof T>] extends [never] ? (Out extends Wire<T> ? true : false) : false;
type Expect<T extends true> = T;

/** One issue type of `GET issue/createmeta/{project}/issuetypes` → `IssueTypeIssueCreateMetadata`. */
export const createMetaIssueTypeSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  subtask: z.boolean().optional(),
  description: z.string().optional(),
});
export type _CreateMetaIssueTypeAligned = Expect<
  SpecAligned<z.output<typeof createMetaIssueTypeSchema>, Spec['IssueTypeIssueCreateMetadata']>
>;

/** `GET issue/createmeta/{project}/issuetypes` → `PageOfCreateMetaIssueTypes`: an offset page with a total. */
export const createMetaIssueTypePageSchema = z.object({
  issueTypes: z.array(createMetaIssueTypeSchema),
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
});
export type CloudCreateMetaIssueTypePage = z.output<typeof createMetaIssueTypePageSchema>;
export type _CreateMetaIssueTypePageAligned = Expect<
  SpecAligned<CloudCreateMetaIssueTypePage, Spec['PageOfCreateMetaIssueTypes']>
>;

/**
 * `JsonTypeBean`. `type` is the only field the spec requires; the others say what an array holds, which system
 * field it is, or which custom field type.
 */
export const fieldSchemaSchema = z.object({
  type: z.string(),
  items: z.string().optional(),
  system: z.string().optional(),
  custom: z.string().optional(),
});
export type _FieldSchemaAligned = Expect<SpecAligned<z.output<typeof fieldSchemaSchema>, Spec['JsonTypeBean']>>;

/**
 * One allowed value. The spec leaves the items untyped: they are options (`{id, value}`), priorities, issue types,
 * projects (`{id, name}`), versions, components... all with a string `id`. Items without one are not selectable
 * by id and are dropped by the client.
 */
export const allowedValueSchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  value: z.string().optional(),
});

/** `FieldCreateMetadata`: the spec requires fieldId, key, name, required, hasDefaultValue, operations and schema. */
export const createMetaFieldSchema = z.object({
  fieldId: z.string().min(1),
  key: z.string().optional(),
  name: z.string(),
  required: z.boolean(),
  hasDefaultValue: z.boolean().optional(),
  schema: fieldSchemaSchema,
  allowedValues: z.array(z.unknown()).optional(),
});
export type _CreateMetaFieldAligned = Expect<
  SpecAligned<z.output<typeof createMetaFieldSchema>, Spec['FieldCreateMetadata']>
>;

/** `GET issue/createmeta/{project}/issuetypes/{id}` → `PageOfCreateMetaIssueTypeWithField`. */
export const createMetaFieldPageSchema = z.object({
  fields: z.array(createMetaFieldSchema),
  startAt: z.number().optional(),
  maxResults: z.number().optional(),
  total: z.number().optional(),
});
export type CloudCreateMetaFieldPage = z.output<typeof createMetaFieldPageSchema>;
export type _CreateMetaFieldPageAligned = Expect<
  SpecAligned<CloudCreateMetaFieldPage, Spec['PageOfCreateMetaIssueTypeWithField']>
>;

/** `POST issue` 201 → `CreatedIssue`. */
export const createdIssueSchema = z.object({
  id: z.string().min(1),
  key: z.string().min(1),
  self: z.string().optional(),
});
export type _CreatedIssueAligned = Expect<SpecAligned<z.output<typeof createdIssueSchema>, Spec['CreatedIssue']>>;

/** `ErrorCollection` inside a bulk element error. */
export const errorCollectionSchema = z.object({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.string()).optional(),
});
export type _ErrorCollectionAligned = Expect<
  SpecAligned<z.output<typeof errorCollectionSchema>, Spec['ErrorCollection']>
>;

/**
 * `POST issue/bulk` → `CreatedIssues`: 201 with `errors[]` on a partial failure, 400 with the same shape on a total
 * one (API-NOTES §2.1). `failedElementNumber` is the index in the batch; the simulator omits it on request-level
 * failures, and so may Jira.
 */
export const createdIssuesSchema = z.object({
  issues: z.array(createdIssueSchema).optional(),
  errors: z
    .array(
      z.object({
        status: z.number().optional(),
        failedElementNumber: z.number().optional(),
        elementErrors: errorCollectionSchema.optional(),
      }),
    )
    .optional(),
});
export type CloudCreatedIssues = z.output<typeof createdIssuesSchema>;
export type _CreatedIssuesAligned = Expect<SpecAligned<CloudCreatedIssues, Spec['CreatedIssues']>>;

/** `IssueBean` as get issue and search return it: `fields` and `properties` only when asked for. */
export const issueSchema = z.object({
  id: z.string().min(1),
  key: z.string().optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
export type CloudIssue = z.output<typeof issueSchema>;
export type _IssueAligned = Expect<SpecAligned<CloudIssue, Spec['IssueBean']>>;

/** `POST issue/{key}/comment` 201 → `Comment`. */
export const commentSchema = z.object({ id: z.string().min(1) });
export type _CommentAligned = Expect<SpecAligned<z.output<typeof commentSchema>, Spec['Comment']>>;

/** `GET issue/{key}/transitions` → `Transitions`. */
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
export type CloudTransitions = z.output<typeof transitionsSchema>;
export type _TransitionsAligned = Expect<SpecAligned<CloudTransitions, Spec['Transitions']>>;

/** `GET issue/{key}/properties/{propertyKey}` → `EntityProperty`: `value` is any JSON. */
export const entityPropertySchema = z.object({ key: z.string(), value: z.unknown() });
export type _EntityPropertyAligned = Expect<SpecAligned<z.output<typeof entityPropertySchema>, Spec['EntityProperty']>>;

/**
 * `GET|POST search/jql` → `SearchAndReconcileResults`: no `total`, no `startAt`; `nextPageToken` is absent on the
 * last page (API-NOTES §2.1).
 */
export const searchPageSchema = z.object({
  issues: z.array(issueSchema),
  nextPageToken: z.string().optional(),
  isLast: z.boolean().optional(),
});
export type CloudSearchPage = z.output<typeof searchPageSchema>;
export type _SearchPageAligned = Expect<SpecAligned<CloudSearchPage, Spec['SearchAndReconcileResults']>>;

/** `POST issue/{key}/attachments` → an array of `Attachment` (the id is a string here, unlike AttachmentMetadata). */
export const attachmentListSchema = z.array(
  z.object({
    id: z.string().min(1),
    filename: z.string(),
    size: z.number(),
    mimeType: z.string().optional(),
  }),
);
export type _AttachmentAligned = Expect<SpecAligned<z.output<typeof attachmentListSchema>[number], Spec['Attachment']>>;

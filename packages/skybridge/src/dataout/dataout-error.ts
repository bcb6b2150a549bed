/** Every failure of a data-out use-case. Safe to serialise: built from an allow-list, never with a secret. */
export interface DataoutError {
  code:
    | 'not_found'
    | 'invalid_input'
    /** The connection is not a Jira connection (cloud or Data Center). */
    | 'wrong_kind'
    | 'conflict'
    /** The instance is stopped: it takes no findings until started. */
    | 'instance_stopped'
    | 'connection_unusable'
    /** Atlassian refused or failed a call the use-case needed (createmeta, a live test). */
    | 'atlassian_error'
    | 'unauthenticated';
  message: string;
  /** For `invalid_input`: each bad field, named the way the caller sent it (`mapping.customfield_10050`). */
  fields?: Array<{ field: string; message: string }>;
  atlassian?: { code: string; message: string };
}

export function invalid(fields: Array<{ field: string; message: string }>): DataoutError {
  const first = fields[0];
  return {
    code: 'invalid_input',
    message:
      fields.length === 1 && first
        ? `${first.field}: ${first.message}`
        : `${fields.length} problems: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
    fields,
  };
}

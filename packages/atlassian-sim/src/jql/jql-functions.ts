// The JQL functions the simulator implements, with the arity and field types Jira allows them on.
import type { JqlValueType } from './jql-fields.ts';

export const JQL_FUNCTIONS = ['currentUser', 'now', 'startOfDay'] as const;
export type JqlFunctionName = (typeof JQL_FUNCTIONS)[number];

export interface JqlFunctionSpec {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Field value types the function yields values for; properties accept every function. */
  readonly valueTypes: readonly JqlValueType[];
}

export const JQL_FUNCTION_SPECS: Readonly<Record<JqlFunctionName, JqlFunctionSpec>> = {
  currentUser: { minArgs: 0, maxArgs: 0, valueTypes: ['user'] },
  now: { minArgs: 0, maxArgs: 0, valueTypes: ['date'] },
  startOfDay: { minArgs: 0, maxArgs: 1, valueTypes: ['date'] },
};

const BY_LOWER_NAME: ReadonlyMap<string, JqlFunctionName> = new Map(JQL_FUNCTIONS.map((f) => [f.toLowerCase(), f]));

/** Function names are case-insensitive in Jira (currentuser() works). */
export function resolveJqlFunction(name: string): JqlFunctionName | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

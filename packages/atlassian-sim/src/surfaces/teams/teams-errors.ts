import { jsonResponse } from '../route.ts';

/**
 * Teams API application errors. Atlassian publishes no error schema for the Teams API; its gateway answers with a
 * `{code, message}` object whose `code` is an upper-case constant (e.g. `SITE_ID_REQUIRED_FOR_TEAM_API`, seen in
 * public clients), so the simulator uses that shape. Unverified: clients should key on the HTTP status, which is
 * documented (400/403/404, and 410 Gone for a deleted team).
 */
export const TEAMS_ERRORS = {
  BAD_REQUEST: 400,
  TEAM_NOT_FOUND: 404,
  ORG_NOT_FOUND: 404,
  TEAM_DELETED: 410,
} as const;
export type TeamsErrorCode = keyof typeof TEAMS_ERRORS;

export function teamsError(code: TeamsErrorCode, message: string): Response {
  return jsonResponse(TEAMS_ERRORS[code], { code, message });
}

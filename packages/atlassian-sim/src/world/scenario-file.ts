import type { PresetName, PresetSizes } from './presets.ts';
import type { World } from './types.ts';

/**
 * A JSON scenario file describes a custom world: start from a preset, change its sizes, and override details.
 *
 * ```json
 * { "preset": "small", "seed": 7, "sizes": { "orgUsers": 500, "teams": 20 },
 *   "orgName": "Initech", "anonymousAccess": false, "tokenExpiry": { "dcPatDays": 3 } }
 * ```
 */
export interface ScenarioFile {
  preset?: PresetName;
  seed?: number;
  sizes?: Partial<PresetSizes>;
  /** Renames the (first) organization. */
  orgName?: string;
  /** Turns anonymous browse on or off on every cloud site. */
  anonymousAccess?: boolean;
}

const SIZE_KEYS = new Set<string>([
  'orgUsers',
  'appAccounts',
  'groups',
  'memberships',
  'teams',
  'avgTeamSize',
  'cloudSites',
  'projectsPerSite',
  'issuesPerProject',
  'spacesPerSite',
  'pagesPerSpace',
  'jiraDcInstances',
  'confluenceDcInstances',
  'dcUsers',
  'dcGroups',
  'dcMemberships',
  'dcProjects',
  'dcApps',
]);

/** Checks a parsed scenario file; returns every problem, each naming its field. */
export function validateScenarioFile(
  input: unknown,
): { ok: true; scenario: ScenarioFile } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return { ok: false, problems: ['scenario: must be a JSON object'] };
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!['preset', 'seed', 'sizes', 'orgName', 'anonymousAccess'].includes(key))
      problems.push(`${key}: unknown field`);
  if (record['preset'] !== undefined && !['small', 'medium', 'large'].includes(record['preset'] as string))
    problems.push('preset: must be small, medium or large');
  if (record['seed'] !== undefined && !Number.isInteger(record['seed'])) problems.push('seed: must be an integer');
  if (record['orgName'] !== undefined && (typeof record['orgName'] !== 'string' || record['orgName'].length === 0))
    problems.push('orgName: must be a non-empty string');
  if (record['anonymousAccess'] !== undefined && typeof record['anonymousAccess'] !== 'boolean')
    problems.push('anonymousAccess: must be true or false');
  const sizes = record['sizes'];
  if (sizes !== undefined) {
    if (typeof sizes !== 'object' || sizes === null) problems.push('sizes: must be an object');
    else
      for (const [k, v] of Object.entries(sizes)) {
        if (!SIZE_KEYS.has(k)) problems.push(`sizes.${k}: unknown size`);
        else if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 1_000_000)
          problems.push(`sizes.${k}: must be an integer from 0 to 1000000`);
      }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, scenario: record };
}

/** Applies the non-size overrides after generation. */
export function applyScenarioFile(world: World, scenario: ScenarioFile): void {
  const org = world.orgs[0];
  if (org && scenario.orgName) org.name = scenario.orgName;
  if (scenario.anonymousAccess !== undefined)
    for (const site of world.cloudSites) site.anonymousAccess = scenario.anonymousAccess;
}

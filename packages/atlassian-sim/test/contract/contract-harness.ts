import { describe, expect } from 'vitest';
import type { Simulator } from '../../src/simulator.ts';
import { createContractValidator, specSkipNotice } from './spec-validator.ts';
import type { ContractResponse, OpenApiSpec, SpecLookup } from './spec-validator.ts';

/**
 * What every contract test file sets up the same way: a describe block per spec that is skipped with a notice when
 * the spec is absent, a `check` that fails unless the spec accepts a response, and a way to capture a simulator
 * response as the validator reads it.
 */

/** Fails the test unless the spec accepts `response`, naming the request in the message. */
export type Check = (response: ContractResponse) => void;

/**
 * `describe(name, …)` with a check bound to the spec's validator; without the spec (a spec that lives in
 * ATLASSIAN_SPECS_DIR and is not there) the block is skipped and a notice says why. Paths are matched after the
 * spec's own prefix (`SPEC_PREFIXES`, e.g. `/rest` for Jira DC).
 */
export function describeWithSpec(
  lookup: SpecLookup,
  name: string,
  body: (check: Check, spec: OpenApiSpec) => void,
): void {
  const spec = lookup.spec;
  if (!spec) {
    console.warn(specSkipNotice(lookup));
    describe.skip(name, () => undefined);
    return;
  }
  const validator = createContractValidator(spec);
  describe(name, () => {
    body((response) => {
      const result = validator.validate(response);
      expect(result.ok ? 'valid' : result.reason, `${response.method} ${response.path} ${response.status}`).toBe(
        'valid',
      );
    }, spec);
  });
}

/**
 * Sends one request through the simulator and captures what the validator reads. `path` is the path as the spec
 * names it (relative to the spec's server), `url` the full address the simulator is called on.
 */
export async function fetchContract(
  sim: Simulator,
  url: string,
  path: string,
  init: RequestInit = {},
): Promise<ContractResponse> {
  const res = await sim.fetch(url, init);
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? undefined;
  return {
    method: init.method ?? 'GET',
    path,
    status: res.status,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
    ...(contentType ? { contentType } : {}),
  };
}

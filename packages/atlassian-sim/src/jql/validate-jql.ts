// Semantic checks Jira runs after a query parses: fields exist, operators suit them, values and functions make
// sense. Jira reports these without positions and all at once, so messages are collected rather than thrown.
import type { JqlFailure, JqlNode, JqlOperator, JqlQuery, JqlSingleOperand } from './jql-ast.ts';
import { formatJqlField } from './jql-ast.ts';
import { JQL_DATE_FORMATS_HINT, parseJqlDate, parseJqlPeriod } from './jql-dates.ts';
import { JQL_FIELD_SPECS, resolveJqlField, type JqlValueType } from './jql-fields.ts';
import { JQL_FUNCTION_SPECS, resolveJqlFunction } from './jql-functions.ts';
import { parseJql, type ParseJqlResult } from './parse-jql.ts';
import { isJqlIssueRef } from './issue-keys.ts';
import { resolveStatusCategory } from './status-categories.ts';

/** What validation needs to know about the instance; the simulator's store implements it. */
export interface JqlLookup {
  projectExists(keyOrId: string): boolean;
}

export type ValidateJqlResult = { readonly ok: true } | JqlFailure;

export function validateJql(query: JqlQuery, lookup: JqlLookup): ValidateJqlResult {
  const messages = new Set<string>();
  if (query.where !== undefined) validateNode(query.where, lookup, messages);
  for (const sort of query.orderBy) {
    if (sort.field.kind === 'property') continue;
    const name = resolveJqlField(sort.field.name);
    if (name === undefined) messages.add(unknownField(sort.field.name));
    else if (!JQL_FIELD_SPECS[name].sortable) messages.add(`Not able to sort using field '${sort.field.name}'.`);
  }
  return messages.size === 0 ? { ok: true } : { ok: false, errorMessages: [...messages] };
}

/** Parse then validate: the whole check a search endpoint runs before it evaluates anything. */
export function parseAndValidateJql(text: string, lookup: JqlLookup): ParseJqlResult {
  const parsed = parseJql(text);
  if (!parsed.ok) return parsed;
  const validated = validateJql(parsed.query, lookup);
  return validated.ok ? parsed : validated;
}

function unknownField(name: string): string {
  return `Field '${name}' does not exist or you do not have permission to view it.`;
}

/** Jira prints word operators in lower case in validation messages ("The operator 'in' ..."). */
function displayOperator(operator: JqlOperator): string {
  return operator.toLowerCase();
}

function displayOperand(operand: JqlSingleOperand): string {
  if (operand.kind === 'empty') return 'EMPTY';
  if (operand.kind === 'function') return `${operand.name}(${operand.args.join(', ')})`;
  return operand.value;
}

function validateNode(node: JqlNode, lookup: JqlLookup, messages: Set<string>): void {
  switch (node.kind) {
    case 'and':
    case 'or':
      for (const child of node.clauses) validateNode(child, lookup, messages);
      return;
    case 'not':
      validateNode(node.clause, lookup, messages);
      return;
    case 'clause':
      break;
  }
  const { field, operator, operand } = node;
  const fieldName = formatJqlField(field);
  let valueType: JqlValueType | 'property' = 'property';
  if (field.kind === 'field') {
    const name = resolveJqlField(field.name);
    if (name === undefined) {
      messages.add(unknownField(field.name));
      return;
    }
    const spec = JQL_FIELD_SPECS[name];
    if (!spec.operators.includes(operator)) {
      messages.add(`The operator '${displayOperator(operator)}' is not supported by the '${fieldName}' field.`);
      return;
    }
    valueType = spec.valueType;
  }

  const wantsList = operator === 'IN' || operator === 'NOT IN';
  if (wantsList && operand.kind !== 'list') {
    messages.add(
      `Operator '${displayOperator(operator)}' does not support the non-list value '${displayOperand(operand)}' for field '${fieldName}'.`,
    );
    return;
  }
  if (!wantsList && operand.kind === 'list') {
    const shown = `(${operand.items.map(displayOperand).join(', ')})`;
    messages.add(
      `Operator '${displayOperator(operator)}' does not support the list value '${shown}' for field '${fieldName}'.`,
    );
    return;
  }
  const items = operand.kind === 'list' ? operand.items : [operand];
  for (const item of items) validateOperand(item, fieldName, valueType, lookup, messages);
}

function validateOperand(
  operand: JqlSingleOperand,
  fieldName: string,
  valueType: JqlValueType | 'property',
  lookup: JqlLookup,
  messages: Set<string>,
): void {
  if (operand.kind === 'empty') return;
  if (operand.kind === 'function') {
    const name = resolveJqlFunction(operand.name);
    if (name === undefined) {
      messages.add(`Unable to find JQL function '${operand.name}(${operand.args.join(', ')})'.`);
      return;
    }
    const spec = JQL_FUNCTION_SPECS[name];
    const count = operand.args.length;
    if (count < spec.minArgs || count > spec.maxArgs) {
      const expected =
        spec.minArgs === spec.maxArgs ? `'${spec.minArgs}'` : `between '${spec.minArgs}' and '${spec.maxArgs}'`;
      messages.add(`Function '${operand.name}' expected ${expected} arguments but received '${count}'.`);
      return;
    }
    if (valueType !== 'property' && !spec.valueTypes.includes(valueType)) {
      messages.add(`A value provided by the function '${operand.name}' is invalid for the field '${fieldName}'.`);
      return;
    }
    const increment = operand.args[0];
    if (name === 'startOfDay' && increment !== undefined && parseJqlPeriod(increment, 'd') === undefined) {
      messages.add(
        `Duration for function '${operand.name}' should have the format (+/-)n(w|d|h|m), e.g. -1d for 1 day earlier.`,
      );
    }
    return;
  }
  const value = operand.value;
  switch (valueType) {
    case 'date':
      if (parseJqlDate(value, 0) === undefined) {
        messages.add(`Date value '${value}' for field '${fieldName}' is invalid. ${JQL_DATE_FORMATS_HINT}`);
      }
      return;
    case 'project':
      if (!lookup.projectExists(value))
        messages.add(`The value '${value}' does not exist for the field '${fieldName}'.`);
      return;
    case 'statusCategory':
      if (resolveStatusCategory(value) === undefined) {
        messages.add(`The value '${value}' does not exist for the field '${fieldName}'.`);
      }
      return;
    case 'issue':
      if (!isJqlIssueRef(value)) messages.add(`The issue key '${value}' for field '${fieldName}' is invalid.`);
      return;
    case 'text':
    case 'label':
    case 'name':
    case 'priority':
    case 'user':
    case 'resolution':
    case 'property':
      return;
  }
}

// Entity property limits: keys up to 255 characters, values any JSON up to 32 KB of serialized text.

export const MAX_PROPERTY_KEY_LENGTH = 255;
export const MAX_PROPERTY_VALUE_LENGTH = 32_768;

/** Why a property cannot be stored, or undefined when it can. */
export function checkProperty(key: string, value: unknown): string | undefined {
  if (key.trim() === '') return 'The property key cannot be empty.';
  if (key.length > MAX_PROPERTY_KEY_LENGTH)
    return `The property key cannot be longer than ${MAX_PROPERTY_KEY_LENGTH} characters.`;
  if (value === undefined) return 'The property value cannot be empty.';
  // The spec: "The maximum length is 32768 characters" of the JSON value.
  if (JSON.stringify(value).length > MAX_PROPERTY_VALUE_LENGTH)
    return `The property value exceeds the maximum length of ${MAX_PROPERTY_VALUE_LENGTH} characters.`;
  return undefined;
}

import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * A phone number's identity key, E.164 (`+573001234567`), parsed by libphonenumber-js with the
 * recording country as the region of numbers written without their country code. A number it
 * cannot parse keeps its digits (and a leading `+`), so two spellings of the same unparseable
 * number still meet. Null when there is no digit at all.
 */
export function phoneKey(number: string, defaultCountry?: string | null): string | null {
  const region = defaultCountry && /^[A-Z]{2}$/.test(defaultCountry) ? (defaultCountry as CountryCode) : undefined;
  try {
    const parsed = parsePhoneNumberFromString(number, region ? { defaultCountry: region } : undefined);
    if (parsed?.isValid()) return parsed.number;
  } catch {
    // an unknown region code (the user-assigned ones): fall back to the digits
  }
  const digits = number.replace(/\D/g, '');
  if (!digits) return null;
  return number.trim().startsWith('+') ? `+${digits}` : digits;
}

import { BadInputError, type FieldProblem } from '../../errors';

/**
 * Input checks beyond what GraphQL types enforce. A Checker collects every problem of one
 * input, then `done()` throws one BAD_USER_INPUT naming each field — nothing is written.
 */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
/** ISO 3166-1 alpha-2, user-assigned codes included (AA, QM–QZ, XA–XZ, ZZ). */
export const COUNTRY_PATTERN = /^[A-Z]{2}$/;
export const HANDLING_PATTERN = /^H[0-3]$/;
export const EVALUATION_PATTERN = /^[ABCX][1-4]$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export class Checker {
  readonly problems: FieldProblem[] = [];

  constructor(private readonly maxStringLength: number) {}

  add(field: string, message: string): this {
    this.problems.push({ field, message });
    return this;
  }

  id(field: string, value: string | null | undefined): this {
    if (value !== null && value !== undefined && !ID_PATTERN.test(value)) {
      this.add(field, 'must be 1–128 characters of letters, digits, ".", "_", ":" or "-"');
    }
    return this;
  }

  text(field: string, value: string | null | undefined, options: { required?: boolean; max?: number } = {}): this {
    const max = Math.min(options.max ?? this.maxStringLength, this.maxStringLength);
    if (value === null || value === undefined) {
      if (options.required) this.add(field, 'is required');
      return this;
    }
    if (options.required && value.trim() === '') this.add(field, 'must not be empty');
    if (value.length > max) this.add(field, `must be at most ${max} characters`);
    return this;
  }

  country(field: string, value: string | null | undefined): this {
    if (value !== null && value !== undefined && !COUNTRY_PATTERN.test(value)) {
      this.add(field, 'must be a two-letter upper-case country code (ISO 3166-1 alpha-2)');
    }
    return this;
  }

  countries(field: string, values: readonly string[] | null | undefined, max = 300): this {
    if (!values) return this;
    if (values.length > max) this.add(field, `must list at most ${max} countries`);
    values.forEach((value, index) => this.country(`${field}[${index}]`, value));
    return this;
  }

  pattern(field: string, value: string | null | undefined, pattern: RegExp, message: string): this {
    if (value !== null && value !== undefined && !pattern.test(value)) this.add(field, message);
    return this;
  }

  nonNegative(field: string, value: number | null | undefined, max = 1_000_000): this {
    if (value !== null && value !== undefined && (!Number.isInteger(value) || value < 0 || value > max)) {
      this.add(field, `must be an integer between 0 and ${max}`);
    }
    return this;
  }

  done(message = 'the input is invalid'): void {
    if (this.problems.length) {
      throw new BadInputError(`${message}: ${this.problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, this.problems);
    }
  }
}

// A history file that breaks SPEC section 3: names the file, the line and the field.

export class MalformedHistoryError extends Error {
  readonly file: string;
  readonly line: number;
  readonly field: string;

  constructor(file: string, line: number, field: string, problem: string) {
    super(`${file}:${line} ${field}: ${problem}`);
    this.name = 'MalformedHistoryError';
    this.file = file;
    this.line = line;
    this.field = field;
  }
}

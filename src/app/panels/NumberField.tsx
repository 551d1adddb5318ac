import { type CSSProperties, useEffect, useId, useRef, useState } from 'react';
import { type Check, readNumber } from '../validation.ts';

/**
 * A typed number that changes the twin only when it is valid: the text is read with the
 * engine's number grammar and checked (validation.ts) on every keystroke; a valid value is
 * committed at once, an invalid one is not, and the reason is shown next to the field until
 * the text is fixed. The field shows the committed value again when it changes elsewhere (a
 * drag, a load) while the field is not being edited.
 */
export function NumberField({
  value,
  onCommit,
  check,
  label,
  testId,
  format = (v) => String(Number(v.toPrecision(6))),
  width = 52,
  style,
}: {
  value: number;
  onCommit: (v: number) => void;
  check?: Check;
  /** accessible name (aria-label) */
  label: string;
  testId?: string;
  format?: (v: number) => string;
  width?: number;
  style?: CSSProperties;
}) {
  const [text, setText] = useState(() => format(value));
  const [problem, setProblem] = useState<string | undefined>();
  const editing = useRef(false);
  const errorId = useId();
  // callers pass inline formatters: only a new value (not a new function) resets the text
  const formatRef = useRef(format);
  formatRef.current = format;
  useEffect(() => {
    if (!editing.current) {
      setText(formatRef.current(value));
      setProblem(undefined);
    }
  }, [value]);
  const onChange = (t: string) => {
    setText(t);
    const read = readNumber(t);
    const why = 'problem' in read ? read.problem : check?.(read.value);
    setProblem(why);
    if (!why && 'value' in read && read.value !== value) onCommit(read.value);
  };
  // a refused text is checked again when the rule changes (extrapolation ticked, another
  // bound moved): it is taken once it becomes valid, as if typed then
  const refused = useRef<string | null>(null);
  refused.current = problem ? text : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new rule re-checks; onChange reads the rest
  useEffect(() => {
    if (refused.current !== null) onChange(refused.current);
  }, [check]);
  return (
    <span className="number-field">
      <input
        type="text"
        inputMode="decimal"
        aria-label={label}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? errorId : undefined}
        data-testid={testId}
        value={text}
        style={{ width, ...style }}
        onFocus={() => {
          editing.current = true;
        }}
        onBlur={() => {
          editing.current = false;
          // a refused text stays visible with its reason; a valid one is shown as committed
          if (!problem) setText(format(value));
        }}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
      {problem ? (
        <span
          className="field-error"
          id={errorId}
          role="alert"
          data-testid={testId ? `${testId}-error` : undefined}
        >
          {problem}
        </span>
      ) : null}
    </span>
  );
}

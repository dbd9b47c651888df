import { useId, type ReactNode } from "react";
import { cn } from "./cn";

/** Props to spread on the control so its label, hint and error are announced with it. */
export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
  "aria-required"?: true;
}

export interface FieldProps {
  label: ReactNode;
  /** Shown under the control while there is no error. */
  hint?: ReactNode;
  /** Replaces the hint, marks the control invalid, and is read out with it. */
  error?: ReactNode;
  /** A fixed id for the control; one is generated otherwise. */
  id?: string;
  required?: boolean;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
}

/**
 * A labelled form control with its hint or error, wired for assistive technology:
 *
 *   <Field label="Host" error={errors.host}>{(control) => <Input {...control} name="host" />}</Field>
 *
 * Uses a plain <label>, which works for native inputs and for Radix controls that render a button
 * (Select trigger, Switch, Checkbox).
 */
export function Field({ label, hint, error, id, required = false, className, children }: FieldProps) {
  const generatedId = useId();
  const controlId = id ?? generatedId;
  const messageId = `${controlId}-message`;
  const message = error ?? hint;
  return (
    <div data-slot="field" className={cn("grid gap-1.5", className)}>
      <label htmlFor={controlId} className="text-sm leading-none font-medium">
        {label}
        {required ? (
          <span className="text-destructive" aria-hidden>
            {" "}
            *
          </span>
        ) : null}
      </label>
      {children({
        id: controlId,
        "aria-describedby": message ? messageId : undefined,
        "aria-invalid": error ? true : undefined,
        "aria-required": required ? true : undefined,
      })}
      {message ? (
        <p id={messageId} className={cn("text-xs", error ? "text-destructive" : "text-muted-foreground")}>
          {message}
        </p>
      ) : null}
    </div>
  );
}

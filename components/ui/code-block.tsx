import type { ComponentProps } from "react";
import { cn } from "./cn";
import { tokenizeSql, type SqlTokenType } from "./sql-tokens";

const tokenClassName: Partial<Record<SqlTokenType, string>> = {
  keyword: "text-code-keyword font-medium",
  string: "text-code-string",
  number: "text-code-number",
  comment: "text-code-comment italic",
  directive: "text-code-directive font-medium",
  identifier: "text-code-identifier",
  parameter: "text-code-number",
};

export interface CodeBlockProps extends Omit<ComponentProps<"pre">, "children"> {
  code: string;
  /** "sql" is highlighted; anything else is shown as plain text. */
  language?: "sql" | "text";
  /** Names the scrollable region for assistive technology ("SQL of tenant/0002_orders.sql"). */
  label: string;
  /** Show line numbers in a gutter (not selectable, so copying takes only the code). */
  lineNumbers?: boolean;
}

function highlight(code: string, language: CodeBlockProps["language"]) {
  if (language !== "sql") return code;
  return tokenizeSql(code).map((token, index) => {
    const className = tokenClassName[token.type];
    return className ? (
      <span key={index} className={className}>
        {token.text}
      </span>
    ) : (
      token.text
    );
  });
}

/**
 * Read-only code, SQL highlighted by a tiny built-in tokenizer (no highlighter library in the
 * bundle). The block scrolls sideways rather than wrapping, so statements keep their shape, and is
 * focusable so keyboard users can scroll it.
 */
export function CodeBlock({
  code,
  language = "sql",
  label,
  lineNumbers = false,
  className,
  ...props
}: CodeBlockProps) {
  const lineCount = lineNumbers ? code.replace(/\n$/, "").split("\n").length : 0;
  return (
    <pre
      data-slot="code-block"
      tabIndex={0}
      role="region"
      aria-label={label}
      className={cn(
        "flex overflow-auto rounded-md border bg-code py-3 font-mono text-[13px] leading-relaxed text-code-foreground",
        className,
      )}
      {...props}
    >
      {lineNumbers ? (
        <span
          aria-hidden
          className="sticky left-0 shrink-0 border-r bg-code pr-3 pl-3 text-right text-code-comment select-none"
        >
          {Array.from({ length: lineCount }, (_, i) => (
            <span key={i} className="block">
              {i + 1}
            </span>
          ))}
        </span>
      ) : null}
      <code className="block flex-1 px-4">{highlight(code, language)}</code>
    </pre>
  );
}

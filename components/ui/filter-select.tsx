import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "./select";

export interface FilterOption {
  value: string;
  label: string;
}

/** A select that narrows a list, named by `label`; `all` is the first item, the one that does not narrow it. */
export function FilterSelect({
  label,
  value,
  onChange,
  all,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  all: FilterOption;
  options: readonly FilterOption[];
}) {
  return (
    <Select value={value} onValueChange={onChange}>
      <SelectTrigger aria-label={label}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        <SelectItem value={all.value}>{all.label}</SelectItem>
        {options.map((o) => (
          <SelectItem key={o.value} value={o.value}>
            {o.label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

/**
 * A cron expression in words ("Every weekday at 03:00"), for the common shapes operators write.
 * Anything else reads "Custom: <expression>"; the next-runs preview makes every shape concrete.
 */

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const NAMES: Record<string, string> = {
  SUN: "0", MON: "1", TUE: "2", WED: "3", THU: "4", FRI: "5", SAT: "6",
  JAN: "1", FEB: "2", MAR: "3", APR: "4", MAY: "5", JUN: "6", JUL: "7", AUG: "8", SEP: "9", OCT: "10", NOV: "11", DEC: "12",
};

const isNumber = (s: string) => /^\d+$/.test(s);
const pad = (n: string) => n.padStart(2, "0");

export function describeCron(expression: string): string {
  const parts = expression.trim().toUpperCase().split(/\s+/).map((p) => NAMES[p] ?? p.replace(/[A-Z]{3}/g, (n) => NAMES[n] ?? n));
  if (parts.length !== 5 && parts.length !== 6) return `Custom: ${expression.trim()}`;
  const [second, minute, hour, dom, month, dow] = parts.length === 6 ? parts : ["0", ...parts];
  const custom = `Custom: ${expression.trim()}`;
  if (second !== "0") return custom;

  const days = describeDays(dom!, month!, dow!);
  if (days === null) return custom;

  if (minute === "*" && hour === "*") return days === "" ? "Every minute" : `Every minute, ${days}`;
  const everyMinutes = /^\*\/(\d+)$/.exec(minute!);
  if (everyMinutes && hour === "*") return `Every ${everyMinutes[1]} minutes${days ? `, ${days}` : ""}`;
  if (!isNumber(minute!)) return custom;
  if (hour === "*") return `Every hour at :${pad(minute!)}${days ? `, ${days}` : ""}`;
  const everyHours = /^\*\/(\d+)$/.exec(hour!);
  if (everyHours) return `Every ${everyHours[1]} hours at :${pad(minute!)}${days ? `, ${days}` : ""}`;
  const hours = hour!.split(",");
  if (!hours.every(isNumber)) return custom;
  const times = joinWords(hours.map((h) => `${pad(h)}:${pad(minute!)}`));
  return `${days ? capitalize(days) : "Every day"} at ${times}`;
}

/** "" for every day; null when the day fields are beyond these words. */
function describeDays(dom: string, month: string, dow: string): string | null {
  if (dom === "*" && month === "*") {
    if (dow === "*") return "";
    if (dow === "1-5") return "every weekday";
    if (dow === "0,6" || dow === "6,0") return "every weekend day";
    const list = dayList(dow);
    return list ? `every ${joinWords(list)}` : null;
  }
  if (dow !== "*" || !isNumber(dom)) return null;
  if (month === "*") return `on day ${dom} of every month`;
  if (isNumber(month) && Number(month) >= 1 && Number(month) <= 12) return `every ${MONTHS[Number(month) - 1]} ${dom}`;
  return null;
}

function dayList(dow: string): string[] | null {
  const out: string[] = [];
  for (const part of dow.split(",")) {
    const range = /^(\d)-(\d)$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from > to || to > 7) return null;
      out.push(`${DAYS[from % 7]} to ${DAYS[to % 7]}`);
    } else if (/^\d$/.test(part) && Number(part) <= 7) out.push(DAYS[Number(part) % 7]!);
    else return null;
  }
  return out;
}

function joinWords(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

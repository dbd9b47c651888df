export interface Layer {
  name: string;
  elements: string[];
}
export declare const LAYERS: Layer[];
export declare const SIBLINGS: Record<string, string[]>;
export declare const NEVER: { from: string; to: string; why: string }[];
export declare function elementOf(path: string): { element: string; level: number; layer: string } | null;
export declare function layerViolation(from: string, to: string, options?: { typeOnly?: boolean }): string | null;

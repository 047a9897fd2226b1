import type { Rule } from "eslint";

export declare const FLOORS: string[][];
export declare function roomOf(relative: string): string;
export declare const roomsRule: Rule.RuleModule;

/** A scenario file as loaded (load-file.ts): the YAML's values, checked, with each step's line. */

export type Point = [number, number];

export interface FileLeg {
  drive?: Point;
  tunnel?: Point;
  stop?: number | string;
  park?: number | string;
  kmh?: number;
  engine?: "on" | "off";
  sky?: "open" | "none";
}

export interface FileStep {
  at?: number | string;
  after?: number | string;
  note?: string;
  send?: string;
  from?: string;
  as?: string;
  reply?: string;
  expect?: string;
  to?: string;
  within?: number | string;
  notBefore?: number | string;
  silent?: number | string;
  wait?: number | string;
  fault?: string;
  for?: number | string;
  reboot?: "firmware" | "modem";
  power?: "cut" | "restore";
  ignition?: "on" | "off";
  sky?: "lost" | "back";
  /** Fault parameters and anything else the step's kind takes. */
  [param: string]: unknown;
}

export interface FileExpectation {
  to: string;
  matching?: string;
  count?: number;
  atLeast?: number;
  atMost?: number;
  inbox?: string[];
  note?: string;
}

export interface ScenarioFileContent {
  name: string;
  description: string;
  tags?: string[];
  notOnModdable?: string;
  answeredOnce?: boolean;
  device?: {
    owner?: string | null;
    pin?: string | null;
    country?: string;
    setupCode?: string;
    installerOwner?: string;
    trackerNumber?: string;
    users?: { name: string; number: string; role?: "user" | "admin"; alerts?: boolean }[];
    settings?: Record<string, string>;
  };
  modem?: { profile?: string; smsMode?: "pdu" | "text"; onAtStart?: boolean; simPin?: string; simAbsent?: boolean };
  gnss?: {
    route?: { start: Point; startUtc?: string; coldStart?: number | string; legs: FileLeg[] };
    nmea?: string;
    errors?: "none" | "open-sky" | "urban-canyon";
    sky?: "fixed" | "changing";
  };
  vehicle?: "none" | { systemVolts?: number; backupSoc?: number; backupMah?: number };
  becomeRegistered?: string[];
  phones?: { name: string; number: string }[];
  timeline: FileStep[];
  expect?: FileExpectation[];
}

/** A loaded file: its path, content, and the line of each timeline step and final expectation. */
export interface ScenarioFile {
  path: string;
  content: ScenarioFileContent;
  stepLines: number[];
  expectLines: number[];
}

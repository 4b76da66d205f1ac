/**
 * The shape of a scenario file (YAML), written once in the spec vocabulary (spec.ts): the file
 * checker and the JSON Schema for editors (scenario.schema.json) both come from it.
 * docs/scenario-files.md explains each part with examples.
 */
import { PROFILE_NAMES } from "../../modem/profiles.ts";
import { FAULTS } from "../../faults/fault-library.ts";
import { type KeyedSpec, type ObjectSpec, type Spec, type TaggedSpec, s } from "./spec.ts";

const phone = (what: string) => s.string(`${what}: owner, stranger, or the name of a user or phone of this file`);
const sky = s.optional(s.oneOf(["open", "none"], "open (default), or none: no satellites (a tunnel, a garage)"));
const engine = (fallback: string) => s.optional(s.oneOf(["on", "off"], `the engine (default ${fallback})`));

const device: ObjectSpec = s.object(
  {
    owner: s.optional(s.string("the owner's number (+ and digits), or null: an unclaimed tracker", { nullable: true })),
    pin: s.optional(s.string("the device PIN (4 to 8 digits), or null: none", { nullable: true, pattern: "^[0-9]{4,8}$", patternHelp: "4 to 8 digits" })),
    country: s.optional(s.string("home country for numbers written without +: US, GB, DE ...", { pattern: "^[A-Z]{2}$", patternHelp: "a two-letter country code (US, GB, ...)" })),
    setupCode: s.optional(s.string("the setup code printed on the label (claims an unclaimed tracker by SMS)")),
    installerOwner: s.optional(s.string("the owner number in the firmware's build configuration (applied while unclaimed)")),
    trackerNumber: s.optional(s.string("the tracker SIM's number")),
    users: s.optional(
      s.array(
        s.object({
          name: s.required(s.string("the user's name (also how the timeline names the phone)", { pattern: "^[A-Za-z][A-Za-z0-9]{0,11}$", patternHelp: "a name of 1 to 12 letters and digits" })),
          number: s.required(s.string("the user's number")),
          role: s.optional(s.oneOf(["user", "admin"], "user (default) or admin")),
          alerts: s.optional(s.boolean("receives alerts (default false)")),
        }),
        "numbers registered besides the owner",
      ),
    ),
    settings: s.optional({ ...s.object({}, "other settings in flash, by key (speedLimitKmh, whereWaitS, units, timeZone, fence, armed ...), as text"), additional: s.string() }),
  },
  "the tracker as provisioned",
);

const modem: ObjectSpec = s.object(
  {
    profile: s.optional(s.oneOf(PROFILE_NAMES, "the modem (default a7670)")),
    smsMode: s.optional(s.oneOf(["pdu", "text"], "the firmware's SMS mode (default pdu)")),
    onAtStart: s.optional(s.boolean("the modem was already on when the firmware started (default false)")),
    simPin: s.optional(s.string("the SIM asks for this PIN", { pattern: "^[0-9]{4,8}$", patternHelp: "4 to 8 digits" })),
    simAbsent: s.optional(s.boolean("no SIM in the modem")),
  },
  "the cellular modem",
);

const leg: KeyedSpec = {
  type: "keyed",
  description: "one leg of the route",
  kinds: {
    drive: s.object({ drive: s.required(s.point("drive in a straight line to [lat, lon]")), kmh: s.required(s.number("speed, km/h", { minimum: 1, maximum: 250 })), engine: engine("on; off: towed"), sky }),
    tunnel: s.object({ tunnel: s.required(s.point("drive through a tunnel (no sky) to [lat, lon]")), kmh: s.required(s.number("speed, km/h", { minimum: 1, maximum: 250 })) }),
    stop: s.object({ stop: s.required(s.duration("stand still this long")), engine: engine("off"), sky }),
    park: s.object({ park: s.required(s.duration("park, engine off, this long")), sky }),
  },
  common: {},
};

const gnss: ObjectSpec = s.object(
  {
    route: s.optional(
      s.object(
        {
          start: s.required(s.point("where the vehicle is at the start")),
          startUtc: s.optional(s.string("UTC at the start", { pattern: "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d)?Z$", patternHelp: "a UTC time like 2026-03-02T07:30:00Z" })),
          coldStart: s.optional(s.duration("time to the first fix (default 30s)")),
          legs: s.required(s.array(leg, "the legs in order; after the last, the vehicle stays where it is", 1)),
        },
        "a generated drive",
      ),
    ),
    nmea: s.optional(s.string("a recorded NMEA log to play instead (path relative to this file; ${SHARED} is ../shared)")),
    errors: s.optional(s.oneOf(["none", "open-sky", "urban-canyon"], "the receiver's errors: none (default), open-sky or urban-canyon (a wandering position, HDOP jumps, multipath spikes)")),
    sky: s.optional(s.oneOf(["fixed", "changing"], "the satellites: fixed (default) or changing (full multi-GNSS output)")),
  },
  "the GNSS source (default: the built-in drive)",
);

const vehicle: Spec = {
  type: "anyOf",
  description: "the vehicle the tracker is wired into (default: a 12 V car whose ignition follows the route)",
  options: [
    s.oneOf(["none"], "none: no vehicle supply is measured"),
    s.object({
      systemVolts: s.optional({ type: "number", integer: true, minimum: 12, maximum: 24, description: "12 (cars) or 24 (trucks); default 12" }),
      backupSoc: s.optional(s.number("backup cell charge at the start, 0 to 1", { minimum: 0, maximum: 1 })),
      backupMah: s.optional(s.number("backup cell capacity, mAh", { minimum: 1 })),
    }),
  ],
};

const fault: TaggedSpec = {
  type: "tagged",
  key: "fault",
  description: "inject a fault from the library",
  variants: Object.fromEntries(
    FAULTS.map((f) => [f.name, s.object({ ...f.params, ...(f.lasting ? { for: s.optional(s.duration("how long it lasts (default: to the end)")) } : {}) }, f.description)]),
  ),
  common: {},
};

const step: KeyedSpec = {
  type: "keyed",
  description: "one step of the timeline: a message, an expectation, a wait, a fault or an event",
  kinds: {
    send: s.object(
      {
        send: s.required(s.string("the SMS text (several lines allowed); ${name} puts in what an earlier pattern's (?<name>...) group matched")),
        from: s.optional(phone("who sends it (default owner)")),
        as: s.optional(s.string("a forged sender number or name shown instead of the phone's own")),
        reply: s.optional(s.regex("the reply the sender expects (a regular expression)")),
        within: s.optional(s.duration("how long the reply may take (default 90s)")),
        notBefore: s.optional(s.duration("the reply must not come sooner than this")),
      },
      "a phone texts the tracker",
    ),
    expect: s.object(
      {
        expect: s.required(s.regex("a message (regular expression) the phone receives next")),
        to: s.optional(phone("who receives it (default owner)")),
        within: s.optional(s.duration("how long it may take (default 90s)")),
        notBefore: s.optional(s.duration("it must not come sooner than this")),
      },
      "a message arrives",
    ),
    silent: s.object(
      { silent: s.required(s.duration("nothing arrives for this long")), to: s.optional(phone("at whom (default: any phone)")) },
      "no message arrives",
    ),
    wait: s.object({ wait: s.required({ type: "anyOf", options: [s.duration(), s.oneOf(["ready"])], description: "a duration, or ready: until the tracker is ready (at most 60 s)" }) }),
    fault,
    reboot: s.object({ reboot: s.required(s.oneOf(["firmware", "modem"], "restart the firmware (from flash) or the modem")) }),
    power: s.object({ power: s.required(s.oneOf(["cut", "restore"], "the vehicle's supply")) }),
    ignition: s.object({ ignition: s.required(s.oneOf(["on", "off"], "the ignition (on: crank and start)")) }),
    sky: s.object({ sky: s.required(s.oneOf(["lost", "back"], "take the sky away or give it back")) }),
  },
  common: {
    at: s.optional(s.duration("when, from the start of the run (the step waits until then)")),
    after: s.optional(s.duration("when, after the previous step")),
    note: s.optional(s.string("a remark shown in reports")),
  },
};

const finalExpectation: ObjectSpec = s.object(
  {
    to: s.required(phone("whose messages (or anyone: every phone)")),
    matching: s.optional(s.regex("count only messages matching this")),
    count: s.optional(s.integer("exactly this many", 0)),
    atLeast: s.optional(s.integer("at least this many", 0)),
    atMost: s.optional(s.integer("at most this many", 0)),
    inbox: s.optional(s.array(s.regex(), "exactly these messages, in this order (one pattern each)")),
    note: s.optional(s.string("a remark shown in reports")),
  },
  "what a phone received by the end",
);

export const SCENARIO_FILE_SPEC: ObjectSpec = s.object(
  {
    name: s.required(s.string("the scenario's name", { pattern: "^[a-z0-9][a-z0-9-]*$", patternHelp: "lower-case words joined by '-'" })),
    description: s.required(s.string("what it shows, in a sentence or two")),
    tags: s.optional(s.array(s.string(), "words to select scenarios by")),
    notOnModdable: s.optional(s.string("why it cannot run on the Moddable lin runtime, if it cannot")),
    answeredOnce: s.optional(s.boolean("each send with a reply pattern gets exactly one reply matching it (default true)")),
    device: s.optional(device),
    modem: s.optional(modem),
    gnss: s.optional(gnss),
    vehicle: s.optional(vehicle),
    becomeRegistered: s.optional(
      s.array(phone("a phone"), "phones registered during the run (by CLAIM, ADD or OWNER): the tracker may text them too"),
    ),
    phones: s.optional(
      s.array(
        s.object({ name: s.required(s.string("its name in the timeline")), number: s.required(s.string("its number")) }),
        "more phones (not registered unless listed under device.users)",
      ),
    ),
    timeline: s.required(s.array(step, "what happens, in order", 1)),
    expect: s.optional(s.array(finalExpectation, "checked at the end of the run")),
  },
  "An end-to-end scenario for the tracker simulator (tracker run <file>)",
);

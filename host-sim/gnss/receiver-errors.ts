/**
 * How a real receiver's reported position departs from the truth, for the drift-guard tests: a
 * mean-reverting random walk (Ornstein-Uhlenbeck per axis: a parked receiver wanders 5 to 30 m in
 * open sky), HDOP that jumps as satellites come and go, and multipath spikes — the position thrown
 * 50 to 100 m for a few seconds, usually with a poor HDOP and a false speed. Two profiles: open sky
 * and an urban canyon (poorer HDOP, a wider walk, spikes several times as often).
 * Units: metres, seconds, km/h. Deterministic from its seed.
 */
import { Random } from "../random.ts";

export interface ReceiverErrorProfile {
  /** Random-walk step per second, metres (1 sigma per axis). */
  readonly walkStepM: number;
  /** Pull back to the truth per second (0..1): bounds the walk (stationary sigma ≈ step / sqrt(2 · pull)). */
  readonly pullPerS: number;
  /** HDOP most of the time, and its small jitter. */
  readonly hdop: number;
  readonly hdopJitter: number;
  /** Mean seconds between HDOP jumps (a satellite lost), their HDOP range and length (s). */
  readonly hdopJumpEveryS: number;
  readonly hdopJump: readonly [number, number];
  readonly hdopJumpS: readonly [number, number];
  /** Mean seconds between multipath spikes, their distance range (m), length (s) and HDOP range. */
  readonly spikeEveryS: number;
  readonly spikeM: readonly [number, number];
  readonly spikeS: readonly [number, number];
  readonly spikeHdop: readonly [number, number];
  /** Speed a parked receiver reports, at most (km/h). */
  readonly parkedSpeedKmh: number;
}

export const OPEN_SKY: ReceiverErrorProfile = Object.freeze<ReceiverErrorProfile>({
  walkStepM: 0.35,
  pullPerS: 0.002,
  hdop: 0.9,
  hdopJitter: 0.15,
  hdopJumpEveryS: 900,
  hdopJump: [1.5, 2.8],
  hdopJumpS: [20, 180],
  spikeEveryS: 1200,
  spikeM: [50, 100],
  spikeS: [1, 8],
  spikeHdop: [2.5, 8],
  parkedSpeedKmh: 1.5,
});

export const URBAN_CANYON: ReceiverErrorProfile = Object.freeze<ReceiverErrorProfile>({
  walkStepM: 0.55,
  pullPerS: 0.002,
  hdop: 1.8,
  hdopJitter: 0.4,
  hdopJumpEveryS: 300,
  hdopJump: [3, 6],
  hdopJumpS: [20, 240],
  spikeEveryS: 420,
  spikeM: [50, 100],
  spikeS: [1, 12],
  spikeHdop: [2, 9],
  parkedSpeedKmh: 2.5,
});

/** What the receiver reports on top of the truth for one epoch. */
export interface ReceiverError {
  readonly northM: number;
  readonly eastM: number;
  readonly hdop: number;
  /** The speed to report when the vehicle is parked (noise, or a spike's false speed), km/h. */
  readonly parkedSpeedKmh: number;
  /** True during a multipath spike. */
  readonly spike: boolean;
}

export class ReceiverErrors {
  private readonly random: Random;
  private north = 0;
  private east = 0;
  private spikeLeftS = 0;
  private spikeNorth = 0;
  private spikeEast = 0;
  private spikeHdop = 0;
  private jumpLeftS = 0;
  private jumpHdop = 0;
  /** Spikes begun so far. */
  spikes = 0;

  constructor(
    private readonly profile: ReceiverErrorProfile,
    seed: number,
  ) {
    this.random = new Random(seed);
  }

  /** The error of the next epoch, one second after the last. */
  next(): ReceiverError {
    const p = this.profile;
    this.north += -p.pullPerS * this.north + p.walkStepM * this.gaussian();
    this.east += -p.pullPerS * this.east + p.walkStepM * this.gaussian();
    if (this.jumpLeftS > 0) this.jumpLeftS--;
    else if (this.random.next() < 1 / p.hdopJumpEveryS) {
      this.jumpLeftS = this.between(p.hdopJumpS);
      this.jumpHdop = this.between(p.hdopJump);
    }
    if (this.spikeLeftS > 0) this.spikeLeftS--;
    else if (this.random.next() < 1 / p.spikeEveryS) {
      this.spikes++;
      this.spikeLeftS = Math.round(this.between(p.spikeS));
      const distance = this.between(p.spikeM);
      const bearing = this.random.next() * 2 * Math.PI;
      this.spikeNorth = distance * Math.cos(bearing);
      this.spikeEast = distance * Math.sin(bearing);
      this.spikeHdop = this.between(p.spikeHdop);
    }
    const spike = this.spikeLeftS > 0;
    const baseHdop = this.jumpLeftS > 0 ? this.jumpHdop : p.hdop + (this.random.next() - 0.5) * 2 * p.hdopJitter;
    return {
      northM: this.north + (spike ? this.spikeNorth : 0),
      eastM: this.east + (spike ? this.spikeEast : 0),
      hdop: Math.round((spike ? Math.max(baseHdop, this.spikeHdop) : baseHdop) * 10) / 10,
      parkedSpeedKmh: spike ? this.between([3, 15]) : this.random.next() * p.parkedSpeedKmh,
      spike,
    };
  }

  private between(range: readonly [number, number]): number {
    return range[0] + this.random.next() * (range[1] - range[0]);
  }

  /** Standard normal (Box-Muller). */
  private gaussian(): number {
    const u = Math.max(this.random.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random.next());
  }
}

/**
 * Feature encoding of a flight for the departure-delay model, shared by the trainer and the
 * server so that both build the same columns in the same order:
 *
 * | columns | feature |
 * |---|---|
 * | 24 | hour of the scheduled departure, one-hot |
 * | 7 | weekday, one-hot, Sunday first |
 * | 12 | month, one-hot |
 * | 1 | distance in miles, standardised with the training mean and standard deviation |
 * | top + 1 | origin airport, one-hot over the top airports by traffic, then one "other" column |
 * | top + 1 | destination airport, the same encoding |
 */

/** The fitted parameters of the encoding, stored beside the model as `features.json`. */
export interface FeatureEncoding {
  /** IATA codes of the airports with their own column, by descending traffic. */
  readonly airports: readonly string[];
  readonly distanceMean: number;
  readonly distanceStandardDeviation: number;
}

/** The fields of a flight the model reads; `date` is the lake's wall-clock `LocalDateTime`. */
export interface FlightFeatures {
  readonly date: string;
  readonly distance: number | null;
  readonly origin: string;
  readonly destination: string;
}

const HOURS = 24;
const WEEKDAYS = 7;
const MONTHS = 12;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2})/;

/** Encodes flights into rows of a dense float matrix with the columns of the table above. */
export class FlightFeatureEncoder {
  readonly width: number;
  private readonly airportColumn: ReadonlyMap<string, number>;
  private readonly otherAirport: number;

  constructor(readonly encoding: FeatureEncoding) {
    this.airportColumn = new Map(encoding.airports.map((iata, i) => [iata, i]));
    this.otherAirport = encoding.airports.length;
    this.width = HOURS + WEEKDAYS + MONTHS + 1 + 2 * (encoding.airports.length + 1);
  }

  /** Encodes flights as a row-major `flights.length × width` matrix. */
  encode(flights: readonly FlightFeatures[]): Float32Array {
    const matrix = new Float32Array(flights.length * this.width);
    flights.forEach((flight, row) => this.encodeInto(flight, matrix, row * this.width));
    return matrix;
  }

  /**
   * Writes one flight's features at `offset` of `target`, which must be zero there.
   *
   * @throws Error when `date` is not a local date-time such as `2001-01-14T05:40:00`
   */
  encodeInto(flight: FlightFeatures, target: Float32Array, offset: number): void {
    const { hour, weekday, month } = calendarParts(flight.date);
    const airportsStart = HOURS + WEEKDAYS + MONTHS + 1;

    target[offset + hour] = 1;
    target[offset + HOURS + weekday] = 1;
    target[offset + HOURS + WEEKDAYS + month] = 1;
    target[offset + HOURS + WEEKDAYS + MONTHS] = this.scaledDistance(flight.distance);
    target[offset + airportsStart + this.airportIndex(flight.origin)] = 1;
    target[offset + airportsStart + this.otherAirport + 1 + this.airportIndex(flight.destination)] = 1;
  }

  /** Missing distances take the training mean, which scales to 0. */
  private scaledDistance(distance: number | null): number {
    if (distance === null) return 0;
    return (distance - this.encoding.distanceMean) / this.encoding.distanceStandardDeviation;
  }

  private airportIndex(iata: string): number {
    return this.airportColumn.get(iata) ?? this.otherAirport;
  }
}

function calendarParts(date: string): { hour: number; weekday: number; month: number } {
  const match = LOCAL_DATE_TIME.exec(date);
  if (!match) throw new Error(`Flight date ${JSON.stringify(date)} is not a local date-time such as 2001-01-14T05:40:00.`);
  const [year, month, day, hour] = match.slice(1).map(Number);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return { hour, weekday, month: month - 1 };
}

import { hoursWindowEnd, isBusinessDay, isWithin, localDateOf, nextBusinessDay, type LocalDate } from "./calendar";
import { allow, deny, type Decision } from "./rules";
import type { PolicySettings } from "./settings";

export interface CancellationFacts {
  /** When the order confirmation was issued (Shopify's `processed_at`). */
  confirmedAt: Date;
  requestedAt: Date;
  anyItemFulfilled: boolean;
  alreadyCancelled: boolean;
}

export interface CancellationDecision extends Decision {
  windowEndsAt: Date;
  /** The business day staff act on an accepted request (CAN-3). */
  processOn?: LocalDate;
}

/** CAN-1…3: within the window of the confirmation, never once anything shipped. */
export function cancellationDecision(facts: CancellationFacts, settings: PolicySettings): CancellationDecision {
  const windowEndsAt = hoursWindowEnd(facts.confirmedAt, settings.cancellation.windowHours);
  const hours = settings.cancellation.windowHours;
  if (facts.alreadyCancelled) {
    return { ...deny("CAN-1", "ALREADY_CANCELLED", "This order is already cancelled."), windowEndsAt };
  }
  if (facts.anyItemFulfilled) {
    return {
      ...deny("CAN-2", "ALREADY_SHIPPED", "This order has already shipped and can no longer be cancelled."),
      windowEndsAt,
    };
  }
  if (!isWithin(facts.requestedAt, windowEndsAt)) {
    return {
      ...deny(
        "CAN-1",
        "WINDOW_CLOSED",
        `Orders can be cancelled only within ${hours} hours of the order confirmation.`,
      ),
      windowEndsAt,
    };
  }
  const calendar = settings.calendar;
  const requestDay = localDateOf(facts.requestedAt, calendar.timeZone);
  if (!isBusinessDay(requestDay, calendar.holidays)) {
    const processOn = nextBusinessDay(requestDay, calendar.holidays);
    return {
      ...allow(
        "CAN-3",
        "ACCEPTED_NEXT_BUSINESS_DAY",
        `Your cancellation request is in time; we will process it on ${processOn}, the next business day.`,
      ),
      windowEndsAt,
      processOn,
    };
  }
  return {
    ...allow("CAN-1", "ACCEPTED", "Your cancellation request is in time."),
    windowEndsAt,
    processOn: requestDay,
  };
}

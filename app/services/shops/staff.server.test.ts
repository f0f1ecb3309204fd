import { describe, expect, it } from "vitest";
import { OFFLINE_STAFF, staffOf } from "./staff.server";

describe("the staff member behind a settings change", () => {
  it("is the online session's user, by name", () => {
    const session = { onlineAccessInfo: { associated_user: { id: 902541635, first_name: "Maya", last_name: "Chen" } } };
    expect(staffOf(session, { sub: "902541635" })).toEqual({ id: "902541635", name: "Maya Chen" });
  });

  it("is the session token's user id when the session is offline, and says so", () => {
    expect(staffOf({}, { sub: "42" })).toEqual({ id: "42", name: "staff 42 (offline session)" });
  });

  it("is the offline session itself when nothing names a user", () => {
    expect(staffOf({}, null)).toEqual({ id: null, name: OFFLINE_STAFF });
    expect(OFFLINE_STAFF).toBe("staff (offline session)");
  });
});

/** Who made a change, from the admin session. */
export interface Staff {
  id: string | null;
  name: string;
}

/** What the admin session tells of its user: an online session names them; the session token carries their id. */
export interface AdminSessionLike {
  onlineAccessInfo?: {
    associated_user?: { id?: number | bigint; first_name?: string; last_name?: string; email?: string };
  };
}

export const OFFLINE_STAFF = "staff (offline session)";

/**
 * The staff member behind an admin request: the online session's user when the
 * app has one; else the session token's user id (`sub`) without a name; else
 * the offline session, said so rather than guessed.
 */
export function staffOf(session: AdminSessionLike, sessionToken?: { sub?: string } | null): Staff {
  const user = session.onlineAccessInfo?.associated_user;
  if (user?.id !== undefined) {
    const name = [user.first_name, user.last_name].filter(Boolean).join(" ") || user.email || `staff ${user.id}`;
    return { id: String(user.id), name };
  }
  if (sessionToken?.sub) return { id: sessionToken.sub, name: `staff ${sessionToken.sub} (offline session)` };
  return { id: null, name: OFFLINE_STAFF };
}

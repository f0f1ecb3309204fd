import type { TimelinePicture } from "../policy/timeline-picture";

const COLORS = { overdue: "#c70a24", pending: "#303030", settled: "#8a8a8a" } as const;

/**
 * One order's timeline as a picture: store days along the axis (weekends and
 * holidays shaded, business days numbered), events as marks at their real
 * time, each deadline a line with its rule id (red when overdue). The layout
 * comes from app/policy/timeline-picture.ts; this only draws it.
 */
export function OrderTimelinePicture({ picture, title }: { picture: TimelinePicture; title: string }) {
  const { stripTop, stripHeight, axisY } = picture;
  return (
    <div style={{ overflowX: "auto" }}>
      <svg
        role="img"
        aria-label={title}
        width={picture.width}
        height={picture.height}
        viewBox={`0 0 ${picture.width} ${picture.height}`}
        style={{ fontFamily: "inherit", fontSize: 11 }}
      >
        <title>{title}</title>
        {picture.days.map((day) => (
          <g key={day.date} data-date={day.date} data-business={day.business}>
            <rect
              x={day.x}
              y={stripTop}
              width={day.width}
              height={stripHeight}
              fill={day.business ? "#ffffff" : "#e3e3e3"}
              stroke="#ebebeb"
            >
              <title>{`${day.date}${day.holiday ? ` · ${day.holiday}` : day.business ? ` · business day ${day.businessDay ?? ""}` : " · weekend"}`}</title>
            </rect>
            {day.month && (
              <text x={day.x + 2} y={10} fontWeight="bold">
                {day.month}
              </text>
            )}
            <text x={day.x + day.width / 2} y={22} textAnchor="middle" fill={day.business ? "#303030" : "#8a8a8a"}>
              {day.weekday}
              {day.dayOfMonth}
            </text>
            {day.businessDay !== null && day.businessDay > 0 && (
              <text
                x={day.x + day.width / 2}
                y={stripTop + stripHeight - 4}
                textAnchor="middle"
                fill="#8a8a8a"
                fontSize={9}
              >
                {day.businessDay}
              </text>
            )}
          </g>
        ))}
        <line x1={picture.days[0]?.x ?? 0} x2={picture.width - 16} y1={axisY} y2={axisY} stroke="#616161" />
        {picture.deadlines.map((d) => (
          <g key={d.key} data-deadline={d.key} data-state={d.state}>
            <line
              x1={d.x}
              x2={d.x}
              y1={d.labelY + 2}
              y2={stripTop + stripHeight}
              stroke={COLORS[d.state]}
              strokeWidth={d.state === "overdue" ? 2 : 1}
              strokeDasharray={d.state === "settled" ? "3 2" : undefined}
            />
            <text
              x={d.x + 2}
              y={d.labelY}
              fill={COLORS[d.state]}
              fontWeight={d.state === "overdue" ? "bold" : undefined}
            >
              {d.rule}
            </text>
            <title>{`${d.rule} ${d.key} · ${d.at}${d.state === "overdue" ? " · overdue" : ""}`}</title>
          </g>
        ))}
        {picture.events.map((e, i) => (
          <g key={`${e.kind}-${i}`} data-event={e.kind}>
            <circle cx={e.x} cy={axisY} r={4} fill="#005bd3" />
            <line x1={e.x} x2={e.x} y1={axisY} y2={e.y - 9} stroke="#005bd3" strokeWidth={0.5} />
            <text x={e.x + 2} y={e.y} fill="#005bd3">
              {e.label}
            </text>
            <title>{`${e.label} · ${e.at}`}</title>
          </g>
        ))}
        {picture.now && (
          <g data-now>
            <line
              x1={picture.now.x}
              x2={picture.now.x}
              y1={stripTop - 6}
              y2={stripTop + stripHeight + 4}
              stroke="#005bd3"
              strokeDasharray="2 2"
            />
            <text x={picture.now.x + 2} y={stripTop + stripHeight + 4} fill="#005bd3" fontSize={9}>
              now
            </text>
          </g>
        )}
      </svg>
    </div>
  );
}

// Greedy placement of point labels on a scatter with linear scales: each label takes the first of
// eight spots around its point that overlaps no marker, no label placed before it and stays inside
// the plot. Plot has no collision avoidance for text; eight candidates suffice for a dozen points.
export interface LabelInput {
  x: number;
  y: number;
  text: string;
  /** Labels with a higher priority are placed first, so they keep their full text; defaults to 0. */
  priority?: number;
}

export interface PlacedLabel extends LabelInput {
  /** Where to draw the text, in data coordinates. */
  lx: number;
  ly: number;
  anchor: "start" | "middle" | "end";
  /** The text to draw: text, shortened to its part before " · ", or "" where neither fits. */
  shown: string;
}

export interface Frame {
  xDomain: [number, number];
  yDomain: [number, number];
  /** Pixel extent of the plot area: [left, right] and [top, bottom]. */
  xRange: [number, number];
  yRange: [number, number];
}

const CHAR = 6.8;
const LINE = 14;
const RADIUS = 8;
const candidates: [number, number, "start" | "middle" | "end"][] = [
  [11, 0, "start"],
  [-11, 0, "end"],
  [0, -16, "middle"],
  [0, 18, "middle"],
  [9, -13, "start"],
  [9, 15, "start"],
  [-9, -13, "end"],
  [-9, 15, "end"]
];

export function placeLabels(labels: readonly LabelInput[], frame: Frame): PlacedLabel[] {
  const px = (x: number) =>
    frame.xRange[0] +
    ((x - frame.xDomain[0]) / (frame.xDomain[1] - frame.xDomain[0])) * (frame.xRange[1] - frame.xRange[0]);
  const py = (y: number) =>
    frame.yRange[1] -
    ((y - frame.yDomain[0]) / (frame.yDomain[1] - frame.yDomain[0])) * (frame.yRange[1] - frame.yRange[0]);
  const toX = (p: number) =>
    frame.xDomain[0] +
    ((p - frame.xRange[0]) / (frame.xRange[1] - frame.xRange[0])) * (frame.xDomain[1] - frame.xDomain[0]);
  const toY = (p: number) =>
    frame.yDomain[0] +
    ((frame.yRange[1] - p) / (frame.yRange[1] - frame.yRange[0])) * (frame.yDomain[1] - frame.yDomain[0]);
  type Box = [number, number, number, number];
  const boxes: Box[] = labels.map((l) => [px(l.x) - RADIUS, px(l.x) + RADIUS, py(l.y) - RADIUS, py(l.y) + RADIUS]);
  const overlaps = (a: Box, b: Box) => a[0] < b[1] && b[0] < a[1] && a[2] < b[3] && b[2] < a[3];
  const inside = (b: Box) =>
    // Not into the left margin: the y axis's tick labels live there.
    b[0] >= frame.xRange[0] && b[1] <= frame.xRange[1] + 30 && b[2] >= frame.yRange[0] - 20 && b[3] <= frame.yRange[1];
  const placed: PlacedLabel[] = [];
  const order = labels
    .map((_, i) => i)
    .sort(
      (i, j) =>
        (labels[j].priority ?? 0) - (labels[i].priority ?? 0) || labels[i].x - labels[j].x || labels[j].y - labels[i].y
    );
  for (const i of order) {
    const l = labels[i];
    const others = boxes.filter((_, k) => k !== i);
    // The full text where it fits, else its first part (a model without its prompt), else no text:
    // the point keeps its tip, and a label drawn over another would be read as neither.
    const spot = [l.text, l.text.split(" · ")[0]].flatMap((text) => {
      const w = text.length * CHAR;
      const boxFor = ([dx, dy, anchor]: (typeof candidates)[number]): Box => {
        const cx = px(l.x) + dx;
        const x0 = anchor === "start" ? cx : anchor === "end" ? cx - w : cx - w / 2;
        const cy = py(l.y) + dy;
        return [x0, x0 + w, cy - LINE / 2, cy + LINE / 2];
      };
      const c = candidates.find((c) => inside(boxFor(c)) && !others.some((b) => overlaps(b, boxFor(c))));
      return c ? [{text, c, box: boxFor(c)}] : [];
    })[0];
    if (spot) boxes.push(spot.box);
    const [dx, dy, anchor] = spot?.c ?? candidates[0];
    placed.push({...l, shown: spot?.text ?? "", lx: toX(px(l.x) + dx), ly: toY(py(l.y) + dy), anchor});
  }
  return labels.map((l) => placed.find((p) => p === l || (p.x === l.x && p.y === l.y && p.text === l.text))!);
}

/** The status page's chart: the week's volume, from the numbers the page already shows in a table. */
import { drawVolume, type VolumePoint } from './draw.js';

const data = document.getElementById('volume-data');
const root = document.getElementById('volume-chart');
if (data && root) {
  const { points, bucket, end } = JSON.parse(data.textContent ?? '{}') as {
    points: VolumePoint[];
    bucket: string;
    end: string;
  };
  drawVolume(root, points, bucket, end);
  // The chart brings its own table: the page's, shown for readers without JavaScript, goes.
  document.getElementById('volume-table')?.remove();
}

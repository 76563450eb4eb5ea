// Reference points on a face that hand positions are measured against. The mesh is used when it
// ran; otherwise the points are estimated from the face box (a detector box spans brow to chin).
import type { FaceObservation, Point } from '../vision/types.js';
import { mean } from './geometry.js';

/** MediaPipe face-mesh indices of the landmarks we use. */
const MESH = {
  noseTip: 1,
  chin: 152,
  foreheadTop: 10,
  /** outer and inner corners of the eye on the image's left: the subject's right eye */
  imageLeftEye: [33, 133],
  /** outer and inner corners of the eye on the image's right: the subject's left eye */
  imageRightEye: [263, 362],
} as const;

export interface FaceLandmarks {
  /** face width in pixels: the unit every hand-to-face distance is expressed in */
  width: number;
  height: number;
  center: Point;
  top: number;
  noseTip: Point;
  chin: Point;
  /** eye centres by the subject's own side */
  eye: { right: Point; left: Point };
  /** x direction of the subject's right side in the image: −1 for an unmirrored camera frame */
  rightward: 1 | -1;
  fromMesh: boolean;
}

/** Landmarks of a face. `mirrored` is true when the frame was flipped like a selfie preview. */
export function faceLandmarks(face: FaceObservation, mirrored = false): FaceLandmarks {
  const { box } = face;
  const mesh = face.mesh && face.mesh.length >= 468 ? face.mesh : undefined;
  // Unmirrored camera frames show the subject's right on the image's left.
  const rightward: 1 | -1 = mirrored ? 1 : -1;
  const imageLeftEye = mesh ? mean(MESH.imageLeftEye.map((i) => mesh[i])) : { x: box.x + 0.3 * box.width, y: box.y + 0.4 * box.height };
  const imageRightEye = mesh ? mean(MESH.imageRightEye.map((i) => mesh[i])) : { x: box.x + 0.7 * box.width, y: box.y + 0.4 * box.height };
  return {
    width: box.width,
    height: box.height,
    center: { x: box.x + box.width / 2, y: box.y + box.height / 2 },
    top: mesh ? Math.min(box.y, mesh[MESH.foreheadTop].y) : box.y,
    noseTip: mesh ? mesh[MESH.noseTip] : { x: box.x + 0.5 * box.width, y: box.y + 0.62 * box.height },
    chin: mesh ? mesh[MESH.chin] : { x: box.x + 0.5 * box.width, y: box.y + box.height },
    eye: rightward === -1
      ? { right: imageLeftEye, left: imageRightEye }
      : { right: imageRightEye, left: imageLeftEye },
    rightward,
    fromMesh: Boolean(mesh),
  };
}

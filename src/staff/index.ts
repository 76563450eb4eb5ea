// Staff: accounts and sign-in, gesture-library numbers and scheduled rotations for security staff.
export { hashPassword, verifyPassword, newPassword } from './passwords.js';
export { signIn, recordSignOut, currentStaff, MAX_FAILED_LOGINS, LOCK_SECONDS, STAFF_TOKEN_SECONDS, type SignedIn, type StaffRole } from './login.js';
export { gestureStats, emptyStats, statsKey, type GestureStats } from './gesture-stats.js';
export { scheduleRotation, cancelRotation, listRotations, applyDueRotations, startRotationTimer, ROTATION_TICK_MS, type RotationRow } from './rotations.js';

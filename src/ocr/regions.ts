// China's province-level divisions: the two-digit GB/T 2260 codes that lead every resident ID
// number, and their ISO 3166-2:CN letter codes used for regions elsewhere in the project; and the
// time zone of every region a session may declare, in which the seller's dates are told and judged.

/** Beijing time: the one legal time of every mainland province, Xinjiang included (newspapers
 *  there are dated by it). */
const BEIJING = 'Asia/Shanghai';

export const CN_PROVINCES: Readonly<Record<string, { iso: string; en: string; zh: string; timeZone?: string }>> = {
  '11': { iso: 'CN-BJ', en: 'Beijing', zh: '北京' },
  '12': { iso: 'CN-TJ', en: 'Tianjin', zh: '天津' },
  '13': { iso: 'CN-HE', en: 'Hebei', zh: '河北' },
  '14': { iso: 'CN-SX', en: 'Shanxi', zh: '山西' },
  '15': { iso: 'CN-NM', en: 'Inner Mongolia', zh: '内蒙古' },
  '21': { iso: 'CN-LN', en: 'Liaoning', zh: '辽宁' },
  '22': { iso: 'CN-JL', en: 'Jilin', zh: '吉林' },
  '23': { iso: 'CN-HL', en: 'Heilongjiang', zh: '黑龙江' },
  '31': { iso: 'CN-SH', en: 'Shanghai', zh: '上海' },
  '32': { iso: 'CN-JS', en: 'Jiangsu', zh: '江苏' },
  '33': { iso: 'CN-ZJ', en: 'Zhejiang', zh: '浙江' },
  '34': { iso: 'CN-AH', en: 'Anhui', zh: '安徽' },
  '35': { iso: 'CN-FJ', en: 'Fujian', zh: '福建' },
  '36': { iso: 'CN-JX', en: 'Jiangxi', zh: '江西' },
  '37': { iso: 'CN-SD', en: 'Shandong', zh: '山东' },
  '41': { iso: 'CN-HA', en: 'Henan', zh: '河南' },
  '42': { iso: 'CN-HB', en: 'Hubei', zh: '湖北' },
  '43': { iso: 'CN-HN', en: 'Hunan', zh: '湖南' },
  '44': { iso: 'CN-GD', en: 'Guangdong', zh: '广东' },
  '45': { iso: 'CN-GX', en: 'Guangxi', zh: '广西' },
  '46': { iso: 'CN-HI', en: 'Hainan', zh: '海南' },
  '50': { iso: 'CN-CQ', en: 'Chongqing', zh: '重庆' },
  '51': { iso: 'CN-SC', en: 'Sichuan', zh: '四川' },
  '52': { iso: 'CN-GZ', en: 'Guizhou', zh: '贵州' },
  '53': { iso: 'CN-YN', en: 'Yunnan', zh: '云南' },
  '54': { iso: 'CN-XZ', en: 'Tibet', zh: '西藏' },
  '61': { iso: 'CN-SN', en: 'Shaanxi', zh: '陕西' },
  '62': { iso: 'CN-GS', en: 'Gansu', zh: '甘肃' },
  '63': { iso: 'CN-QH', en: 'Qinghai', zh: '青海' },
  '64': { iso: 'CN-NX', en: 'Ningxia', zh: '宁夏' },
  '65': { iso: 'CN-XJ', en: 'Xinjiang', zh: '新疆' },
  '71': { iso: 'CN-TW', en: 'Taiwan', zh: '台湾', timeZone: 'Asia/Taipei' },
  '81': { iso: 'CN-HK', en: 'Hong Kong', zh: '香港', timeZone: 'Asia/Hong_Kong' },
  '82': { iso: 'CN-MO', en: 'Macao', zh: '澳门', timeZone: 'Asia/Macau' },
};

/** Leading digits a resident ID (or the residence permit of a Hong Kong, Macao or Taiwan
 *  resident, which uses 81, 82 and 83) can carry. 71 is Taiwan's GB/T 2260 code but no ID uses it. */
export const CN_ID_REGION_PREFIXES: ReadonlySet<string> = new Set([
  ...Object.keys(CN_PROVINCES).filter((code) => code !== '71'),
  '83',
]);

/** Canonical form of a region code: upper case, and CN-33 style numeric codes mapped to CN-ZJ. */
export function canonicalRegion(region: string): string {
  const code = region.trim().toUpperCase().replace('_', '-');
  const numeric = /^CN-(\d{2})$/.exec(code);
  if (numeric && CN_PROVINCES[numeric[1]]) return CN_PROVINCES[numeric[1]].iso;
  return code;
}

/**
 * Where a region's calendar date is read. A region inside one zone has the same zone twice. A
 * country spanning several (declared without its subdivision) asks for the date of its westernmost
 * zone, which every seller there has reached, and accepts printed dates up to that of its
 * easternmost zone, which none of them has passed: asking for a date some sellers have not reached
 * yet, or rejecting the date others already have, would both be wrong.
 */
export interface RegionTimeZones {
  /** the requested date is this zone's local date */
  timeZone: string;
  /** no seller of the region has a later date than this zone's */
  latestTimeZone: string;
}

/** Every country and subdivision outside the province table that the newspaper list serves. A
 *  subdivision not listed takes its country's entry. */
const REGION_TIME_ZONES: Readonly<Record<string, string | readonly [west: string, east: string]>> = {
  CN: BEIJING,
  HK: 'Asia/Hong_Kong',
  MO: 'Asia/Macau',
  TW: 'Asia/Taipei',
  SG: 'Asia/Singapore',
  // peninsular Malaysia, Sabah and Sarawak share UTC+8
  MY: 'Asia/Kuala_Lumpur',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  IN: 'Asia/Kolkata',
  GB: 'Europe/London',
  DE: 'Europe/Berlin',
  // metropolitan France; the overseas departments and collectivities (OUTLYING) have no zone here
  FR: 'Europe/Paris',
  // Hawaii to the east coast; Alaska lies between them
  US: ['Pacific/Honolulu', 'America/New_York'],
  'US-NY': 'America/New_York',
  'US-DC': 'America/New_York',
  'US-CA': 'America/Los_Angeles',
  // British Columbia to Newfoundland
  CA: ['America/Vancouver', 'America/St_Johns'],
  'CA-ON': 'America/Toronto',
  // Western Australia to the eastern states in summer time
  AU: ['Australia/Perth', 'Australia/Sydney'],
  'AU-NSW': 'Australia/Sydney',
};

/** ISO 3166-2 codes of territories that lie outside the zones their country's entry spans. */
const OUTLYING: Record<string, RegExp> = {
  US: /^(GU|MP|AS|UM|PR|VI)$/,
  FR: /^(97\d|NC|PF|WF|PM|BL|MF|TF|RE|GP|MQ|GF|YT|CP|GUA|MAY|LRE)$/,
};

const zones = (entry: string | readonly [string, string]): RegionTimeZones =>
  typeof entry === 'string' ? { timeZone: entry, latestTimeZone: entry } : { timeZone: entry[0], latestTimeZone: entry[1] };

/**
 * The time zones a region's dates are told and judged in, or null for a region with none on file:
 * session creation refuses those (src/flows/sessions.ts), so a date is never computed in a guessed
 * zone. A CN subdivision must be one of the province table's; another country's subdivision not
 * listed takes its country's zones, unless it is a territory outside them (OUTLYING).
 */
export function regionTimeZones(region: string): RegionTimeZones | null {
  const code = canonicalRegion(region);
  if (code.startsWith('CN-')) {
    const province = Object.values(CN_PROVINCES).find((p) => p.iso === code);
    return province ? zones(province.timeZone ?? BEIJING) : null;
  }
  const [country, subdivision] = code.split('-');
  // Territories far outside their country's span (Guam is 15 hours ahead of New York, New Caledonia
  // 10 ahead of Paris) must not inherit it: their same-day paper would fall outside the window.
  if (subdivision && !REGION_TIME_ZONES[code] && OUTLYING[country]?.test(subdivision)) return null;
  const entry = REGION_TIME_ZONES[code] ?? REGION_TIME_ZONES[country];
  return entry ? zones(entry) : null;
}

/** For a region with no zone on file (only sessions created before regions were checked): dates
 *  that every place on Earth has reached, up to dates none has passed. */
export const UNKNOWN_REGION_TIME_ZONES: RegionTimeZones = Object.freeze({ timeZone: 'Etc/GMT+12', latestTimeZone: 'Etc/GMT-14' });

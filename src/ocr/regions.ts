// China's province-level divisions: the two-digit GB/T 2260 codes that lead every resident ID
// number, and their ISO 3166-2:CN letter codes used for regions elsewhere in the project.

export const CN_PROVINCES: Readonly<Record<string, { iso: string; en: string; zh: string }>> = {
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
  '71': { iso: 'CN-TW', en: 'Taiwan', zh: '台湾' },
  '81': { iso: 'CN-HK', en: 'Hong Kong', zh: '香港' },
  '82': { iso: 'CN-MO', en: 'Macao', zh: '澳门' },
};

/** Leading digits a resident ID (or the residence permit of a Hong Kong, Macao or Taiwan
 *  resident, which uses 81, 82 and 83) can carry. 71 is Taiwan's GB/T 2260 code but no ID uses it. */
export const CN_ID_REGION_PREFIXES: ReadonlySet<string> = new Set([
  ...Object.keys(CN_PROVINCES).filter((code) => code !== '71'),
  '83',
]);

/** Word lists for realistic, deterministic names. Invented; no real people. */
export const FIRST_NAMES = [
  'Mia', 'Noah', 'Aria', 'Liam', 'Zoe', 'Ethan', 'Ava', 'Lucas', 'Isla', 'Mateo', 'Chloe', 'Kai', 'Nora', 'Leo',
  'Maya', 'Omar', 'Priya', 'Jonas', 'Elena', 'Tariq', 'Yuki', 'Sven', 'Amara', 'Diego', 'Hana', 'Felix', 'Ingrid',
  'Ravi', 'Sofia', 'Tomas', 'Wen', 'Zara', 'Ahmed', 'Bianca', 'Caleb', 'Dara', 'Emil', 'Fatima', 'Gabriel', 'Hugo',
] as const;

export const LAST_NAMES = [
  'Krystof', 'Okafor', 'Lindqvist', 'Nakamura', 'Haddad', 'Moreau', 'Silva', 'Kowalski', 'Novak', 'Reyes',
  'Fischer', 'Chen', 'Patel', 'Murphy', 'Rossi', 'Jensen', 'Ivanova', 'Costa', 'Dubois', 'Tanaka', 'Ali',
  'Schmidt', 'Garcia', 'Nguyen', 'Kim', 'Andersen', 'Mensah', 'Varga', 'Horvat', 'Bakker',
] as const;

export const TIME_ZONES = [
  'Australia/Sydney', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Europe/London',
  'Asia/Kolkata', 'America/Sao_Paulo', 'Africa/Lagos', 'Europe/Warsaw', 'UTC',
] as const;

export const LOCALES = ['en_US', 'en_AU', 'en_GB', 'de_DE', 'fr_FR', 'ja_JP', 'pt_BR'] as const;

export const DEPARTMENTS = ['Engineering', 'Finance', 'Marketing', 'Sales', 'Support', 'Legal', 'People', 'Security'] as const;

export const JOB_TITLES = ['Engineer', 'Senior Engineer', 'Manager', 'Analyst', 'Designer', 'Director', 'Specialist'] as const;

export const PROJECT_WORDS = [
  'Apollo', 'Beacon', 'Cobalt', 'Delta', 'Ember', 'Falcon', 'Granite', 'Harbor', 'Indigo', 'Juniper', 'Keystone',
  'Lumen', 'Meridian', 'Nimbus', 'Orbit', 'Pioneer', 'Quartz', 'Raven', 'Summit', 'Tundra', 'Umbra', 'Vertex',
  'Willow', 'Xenon', 'Yonder', 'Zephyr',
] as const;

export const APP_VENDORS = ['Adaptavist', 'Tempo', 'Appfire', 'Atlassian', 'Refined', 'Gliffy', 'Comalatech', 'resolution'] as const;

export const APP_NAMES = [
  'ScriptRunner', 'Timesheets', 'Structure', 'JMWE', 'Power Scripts', 'Diagrams', 'Comala Document Management',
  'User Deactivator', 'Insight', 'Xray', 'Zephyr Scale', 'BigPicture', 'eazyBI', 'Table Filter', 'Team Calendars',
  'Automation Toolkit', 'Secure Content', 'Advanced Roadmaps', 'Checklists', 'SAML SSO',
] as const;

# ruff: noqa: E501  (data table: long literal rows read better unwrapped)
"""The generator's own country table, one row per country (the generator must not import the
pipeline's seeds): :mod:`.geo` parses it into :class:`.geo.Country` records."""

# iso2;iso3;English;French;Spanish;region;flags(D developing, L LDC, K LLDC, S SIDS);culture;
# language of institutions;weight;UTC offset;cities;variants (lang=name|...)
COUNTRY_TABLE = """
AO;AGO;Angola;Angola;Angola;AFR;DL;lusophone;pt;3;+01:00;Luanda|Huambo;
BJ;BEN;Benin;Bénin;Benín;AFR;DL;african_fr;fr;2;+01:00;Cotonou|Porto-Novo;
BW;BWA;Botswana;Botswana;Botsuana;AFR;DK;african_en;en;2;+02:00;Gaborone;
BF;BFA;Burkina Faso;Burkina Faso;Burkina Faso;AFR;DLK;african_fr;fr;3;+00:00;Ouagadougou|Bobo-Dioulasso;
BI;BDI;Burundi;Burundi;Burundi;AFR;DLK;african_fr;fr;1;+02:00;Gitega|Bujumbura;
CV;CPV;Cabo Verde;Cabo Verde;Cabo Verde;AFR;DS;lusophone;pt;1;-01:00;Praia;en=Cape Verde|fr=Cap-Vert
CM;CMR;Cameroon;Cameroun;Camerún;AFR;D;african_fr;fr;4;+01:00;Yaoundé|Douala;
CF;CAF;Central African Republic;République centrafricaine;República Centroafricana;AFR;DLK;african_fr;fr;1;+01:00;Bangui;
TD;TCD;Chad;Tchad;Chad;AFR;DLK;african_fr;fr;2;+01:00;N'Djamena;
CG;COG;Congo;Congo;Congo;AFR;D;african_fr;fr;2;+01:00;Brazzaville|Pointe-Noire;en=Republic of the Congo
CI;CIV;Côte d'Ivoire;Côte d'Ivoire;Côte d'Ivoire;AFR;D;african_fr;fr;5;+00:00;Abidjan|Yamoussoukro;en=Ivory Coast|en=Cote d'Ivoire|fr=Cote d'Ivoire|es=Costa de Marfil
CD;COD;Democratic Republic of the Congo;République démocratique du Congo;República Democrática del Congo;AFR;DL;african_fr;fr;4;+01:00;Kinshasa|Lubumbashi;en=DR Congo|fr=RD Congo
GQ;GNQ;Equatorial Guinea;Guinée équatoriale;Guinea Ecuatorial;AFR;D;hispanic;es;1;+01:00;Malabo;
ER;ERI;Eritrea;Érythrée;Eritrea;AFR;DL;african_en;en;1;+03:00;Asmara;
SZ;SWZ;Eswatini;Eswatini;Esuatini;AFR;DK;african_en;en;1;+02:00;Mbabane;en=Swaziland|en=Kingdom of Eswatini|fr=Swaziland|es=Suazilandia
ET;ETH;Ethiopia;Éthiopie;Etiopía;AFR;DLK;african_en;en;5;+03:00;Addis Ababa;
GA;GAB;Gabon;Gabon;Gabón;AFR;D;african_fr;fr;2;+01:00;Libreville;
GM;GMB;Gambia;Gambie;Gambia;AFR;DL;african_en;en;1;+00:00;Banjul;en=The Gambia
GH;GHA;Ghana;Ghana;Ghana;AFR;D;african_en;en;5;+00:00;Accra|Kumasi;
GN;GIN;Guinea;Guinée;Guinea;AFR;DL;african_fr;fr;2;+00:00;Conakry;
GW;GNB;Guinea-Bissau;Guinée-Bissau;Guinea-Bissau;AFR;DLS;lusophone;pt;1;+00:00;Bissau;
KE;KEN;Kenya;Kenya;Kenia;AFR;D;african_en;en;6;+03:00;Nairobi|Mombasa;
LS;LSO;Lesotho;Lesotho;Lesoto;AFR;DLK;african_en;en;1;+02:00;Maseru;
LR;LBR;Liberia;Libéria;Liberia;AFR;DL;african_en;en;1;+00:00;Monrovia;
MG;MDG;Madagascar;Madagascar;Madagascar;AFR;DL;african_fr;fr;2;+03:00;Antananarivo;
MW;MWI;Malawi;Malawi;Malaui;AFR;DLK;african_en;en;2;+02:00;Lilongwe|Blantyre;
ML;MLI;Mali;Mali;Malí;AFR;DLK;african_fr;fr;3;+00:00;Bamako;
MU;MUS;Mauritius;Maurice;Mauricio;AFR;DS;african_en;en;2;+04:00;Port Louis|Ebène;
MZ;MOZ;Mozambique;Mozambique;Mozambique;AFR;DL;lusophone;pt;2;+02:00;Maputo;
NA;NAM;Namibia;Namibie;Namibia;AFR;D;african_en;en;2;+02:00;Windhoek;
NE;NER;Niger;Niger;Níger;AFR;DLK;african_fr;fr;2;+01:00;Niamey;
NG;NGA;Nigeria;Nigéria;Nigeria;AFR;D;african_en;en;8;+01:00;Abuja|Lagos;
RW;RWA;Rwanda;Rwanda;Ruanda;AFR;DLK;african_en;en;4;+02:00;Kigali;
ST;STP;Sao Tome and Principe;Sao Tomé-et-Principe;Santo Tomé y Príncipe;AFR;DLS;lusophone;pt;1;+00:00;São Tomé;en=São Tomé and Príncipe
SN;SEN;Senegal;Sénégal;Senegal;AFR;DL;african_fr;fr;5;+00:00;Dakar|Saint-Louis;
SC;SYC;Seychelles;Seychelles;Seychelles;AFR;DS;african_en;en;1;+04:00;Victoria;
SL;SLE;Sierra Leone;Sierra Leone;Sierra Leona;AFR;DL;african_en;en;1;+00:00;Freetown;
ZA;ZAF;South Africa;Afrique du Sud;Sudáfrica;AFR;D;african_en;en;6;+02:00;Pretoria|Johannesburg|Cape Town;
SS;SSD;South Sudan;Soudan du Sud;Sudán del Sur;AFR;DLK;african_en;en;1;+02:00;Juba;
TZ;TZA;Tanzania;Tanzanie;Tanzania;AFR;DL;african_en;en;4;+03:00;Dodoma|Dar es Salaam;en=United Republic of Tanzania|fr=République-Unie de Tanzanie
TG;TGO;Togo;Togo;Togo;AFR;DL;african_fr;fr;2;+00:00;Lomé;
UG;UGA;Uganda;Ouganda;Uganda;AFR;DLK;african_en;en;4;+03:00;Kampala;
ZM;ZMB;Zambia;Zambie;Zambia;AFR;DLK;african_en;en;3;+02:00;Lusaka;
ZW;ZWE;Zimbabwe;Zimbabwe;Zimbabue;AFR;DK;african_en;en;3;+02:00;Harare;
AR;ARG;Argentina;Argentine;Argentina;AMS;D;hispanic;es;5;-03:00;Buenos Aires|Córdoba;
BS;BHS;Bahamas;Bahamas;Bahamas;AMS;DS;anglo;en;1;-05:00;Nassau;en=The Bahamas
BB;BRB;Barbados;Barbade;Barbados;AMS;DS;anglo;en;1;-04:00;Bridgetown;
BZ;BLZ;Belize;Belize;Belice;AMS;DS;anglo;en;1;-06:00;Belmopan;
BO;BOL;Bolivia;Bolivie;Bolivia;AMS;DK;hispanic;es;2;-04:00;La Paz|Santa Cruz;en=Bolivia (Plurinational State of)|es=Estado Plurinacional de Bolivia
BR;BRA;Brazil;Brésil;Brasil;AMS;D;lusophone;pt;7;-03:00;Brasília|São Paulo|Rio de Janeiro;
CA;CAN;Canada;Canada;Canadá;AMS;;anglo;en;4;-05:00;Ottawa|Montréal;
CL;CHL;Chile;Chili;Chile;AMS;D;hispanic;es;3;-04:00;Santiago;
CO;COL;Colombia;Colombie;Colombia;AMS;D;hispanic;es;5;-05:00;Bogotá|Medellín;
CR;CRI;Costa Rica;Costa Rica;Costa Rica;AMS;D;hispanic;es;2;-06:00;San José;
CU;CUB;Cuba;Cuba;Cuba;AMS;DS;hispanic;es;2;-05:00;La Habana;
DO;DOM;Dominican Republic;République dominicaine;República Dominicana;AMS;DS;hispanic;es;2;-04:00;Santo Domingo;
EC;ECU;Ecuador;Équateur;Ecuador;AMS;D;hispanic;es;3;-05:00;Quito|Guayaquil;
SV;SLV;El Salvador;El Salvador;El Salvador;AMS;D;hispanic;es;2;-06:00;San Salvador;
GT;GTM;Guatemala;Guatemala;Guatemala;AMS;D;hispanic;es;2;-06:00;Guatemala City;
GY;GUY;Guyana;Guyana;Guyana;AMS;DS;anglo;en;1;-04:00;Georgetown;
HT;HTI;Haiti;Haïti;Haití;AMS;DLS;african_fr;fr;2;-05:00;Port-au-Prince;
HN;HND;Honduras;Honduras;Honduras;AMS;D;hispanic;es;2;-06:00;Tegucigalpa;
JM;JAM;Jamaica;Jamaïque;Jamaica;AMS;DS;anglo;en;2;-05:00;Kingston;
MX;MEX;Mexico;Mexique;México;AMS;D;hispanic;es;6;-06:00;Mexico City|Guadalajara;
NI;NIC;Nicaragua;Nicaragua;Nicaragua;AMS;D;hispanic;es;1;-06:00;Managua;
PA;PAN;Panama;Panama;Panamá;AMS;D;hispanic;es;2;-05:00;Panama City;
PY;PRY;Paraguay;Paraguay;Paraguay;AMS;DK;hispanic;es;2;-04:00;Asunción;
PE;PER;Peru;Pérou;Perú;AMS;D;hispanic;es;4;-05:00;Lima;
LC;LCA;Saint Lucia;Sainte-Lucie;Santa Lucía;AMS;DS;anglo;en;1;-04:00;Castries;
TT;TTO;Trinidad and Tobago;Trinité-et-Tobago;Trinidad y Tabago;AMS;DS;anglo;en;2;-04:00;Port of Spain;
US;USA;United States;États-Unis;Estados Unidos;AMS;;anglo;en;6;-05:00;Washington|New York;en=United States of America|en=USA
UY;URY;Uruguay;Uruguay;Uruguay;AMS;D;hispanic;es;2;-03:00;Montevideo;
VE;VEN;Venezuela;Venezuela;Venezuela;AMS;D;hispanic;es;2;-04:00;Caracas;en=Venezuela (Bolivarian Republic of)|es=República Bolivariana de Venezuela
DZ;DZA;Algeria;Algérie;Argelia;ARB;D;arabic;fr;4;+01:00;Algiers|Oran;
BH;BHR;Bahrain;Bahreïn;Bahrein;ARB;DS;arabic;en;1;+03:00;Manama;
KM;COM;Comoros;Comores;Comoras;ARB;DLS;arabic;fr;1;+03:00;Moroni;
DJ;DJI;Djibouti;Djibouti;Yibuti;ARB;DL;arabic;fr;1;+03:00;Djibouti;
EG;EGY;Egypt;Égypte;Egipto;ARB;D;arabic;en;6;+02:00;Cairo|Alexandria;
IQ;IRQ;Iraq;Irak;Irak;ARB;D;arabic;en;3;+03:00;Baghdad|Erbil;
JO;JOR;Jordan;Jordanie;Jordania;ARB;D;arabic;en;3;+03:00;Amman;
KW;KWT;Kuwait;Koweït;Kuwait;ARB;D;arabic;en;2;+03:00;Kuwait City;
LB;LBN;Lebanon;Liban;Líbano;ARB;D;arabic;fr;2;+02:00;Beirut;
LY;LBY;Libya;Libye;Libia;ARB;D;arabic;en;2;+02:00;Tripoli;
MR;MRT;Mauritania;Mauritanie;Mauritania;ARB;DL;arabic;fr;1;+00:00;Nouakchott;
MA;MAR;Morocco;Maroc;Marruecos;ARB;D;arabic;fr;5;+01:00;Rabat|Casablanca;
OM;OMN;Oman;Oman;Omán;ARB;D;arabic;en;2;+04:00;Muscat;
PS;PSE;Palestine;Palestine;Palestina;ARB;D;arabic;en;1;+02:00;Ramallah;en=State of Palestine|fr=État de Palestine
QA;QAT;Qatar;Qatar;Catar;ARB;D;arabic;en;2;+03:00;Doha;
SA;SAU;Saudi Arabia;Arabie saoudite;Arabia Saudita;ARB;D;arabic;en;4;+03:00;Riyadh|Jeddah;
SO;SOM;Somalia;Somalie;Somalia;ARB;DL;arabic;en;1;+03:00;Mogadishu;
SD;SDN;Sudan;Soudan;Sudán;ARB;DL;arabic;en;2;+02:00;Khartoum;
SY;SYR;Syria;Syrie;Siria;ARB;D;arabic;en;1;+03:00;Damascus;en=Syrian Arab Republic|fr=République arabe syrienne
TN;TUN;Tunisia;Tunisie;Túnez;ARB;D;arabic;fr;4;+01:00;Tunis;
AE;ARE;United Arab Emirates;Émirats arabes unis;Emiratos Árabes Unidos;ARB;D;arabic;en;3;+04:00;Abu Dhabi|Dubai;en=UAE
YE;YEM;Yemen;Yémen;Yemen;ARB;DL;arabic;en;1;+03:00;Sana'a|Aden;
AF;AFG;Afghanistan;Afghanistan;Afganistán;ASP;DLK;south_asian;en;1;+04:30;Kabul;
AU;AUS;Australia;Australie;Australia;ASP;;anglo;en;4;+10:00;Canberra|Sydney;
BD;BGD;Bangladesh;Bangladesh;Bangladés;ASP;DL;south_asian;en;5;+06:00;Dhaka;
BT;BTN;Bhutan;Bhoutan;Bután;ASP;DLK;south_asian;en;1;+06:00;Thimphu;
BN;BRN;Brunei Darussalam;Brunéi Darussalam;Brunéi Darussalam;ASP;D;malay;en;1;+08:00;Bandar Seri Begawan;en=Brunei
KH;KHM;Cambodia;Cambodge;Camboya;ASP;DL;malay;en;2;+07:00;Phnom Penh;
CN;CHN;China;Chine;China;ASP;D;chinese;en;6;+08:00;Beijing|Shanghai|Shenzhen;en=People's Republic of China
FJ;FJI;Fiji;Fidji;Fiyi;ASP;DS;pacific;en;2;+12:00;Suva;
IN;IND;India;Inde;India;ASP;D;south_asian;en;8;+05:30;New Delhi|Bengaluru|Mumbai;
ID;IDN;Indonesia;Indonésie;Indonesia;ASP;D;malay;en;5;+07:00;Jakarta|Bandung;
IR;IRN;Iran;Iran;Irán;ASP;D;persian;en;3;+03:30;Tehran;en=Iran (Islamic Republic of)|fr=Iran (République islamique d')
JP;JPN;Japan;Japon;Japón;ASP;;japanese;en;5;+09:00;Tokyo;
KI;KIR;Kiribati;Kiribati;Kiribati;ASP;DLS;pacific;en;1;+12:00;Tarawa;
KR;KOR;Republic of Korea;République de Corée;República de Corea;ASP;D;korean;en;4;+09:00;Seoul|Busan;en=Korea, Republic of|en=South Korea
LA;LAO;Lao PDR;République démocratique populaire lao;República Democrática Popular Lao;ASP;DLK;thai;en;1;+07:00;Vientiane;en=Laos|en=Lao People's Democratic Republic
MY;MYS;Malaysia;Malaisie;Malasia;ASP;D;malay;en;4;+08:00;Kuala Lumpur|Cyberjaya;
MV;MDV;Maldives;Maldives;Maldivas;ASP;DS;south_asian;en;1;+05:00;Malé;
MM;MMR;Myanmar;Myanmar;Myanmar;ASP;DL;malay;en;2;+06:30;Nay Pyi Taw|Yangon;en=Burma|fr=Birmanie|es=Birmania
NP;NPL;Nepal;Népal;Nepal;ASP;DLK;south_asian;en;2;+05:45;Kathmandu;
NZ;NZL;New Zealand;Nouvelle-Zélande;Nueva Zelandia;ASP;;anglo;en;2;+12:00;Wellington;
PK;PAK;Pakistan;Pakistan;Pakistán;ASP;D;south_asian;en;5;+05:00;Islamabad|Karachi|Lahore;
PG;PNG;Papua New Guinea;Papouasie-Nouvelle-Guinée;Papua Nueva Guinea;ASP;DS;pacific;en;1;+10:00;Port Moresby;
PH;PHL;Philippines;Philippines;Filipinas;ASP;D;filipino;en;4;+08:00;Manila|Quezon City;
WS;WSM;Samoa;Samoa;Samoa;ASP;DS;pacific;en;1;+13:00;Apia;
SG;SGP;Singapore;Singapour;Singapur;ASP;DS;chinese;en;2;+08:00;Singapore;
SB;SLB;Solomon Islands;Îles Salomon;Islas Salomón;ASP;DLS;pacific;en;1;+11:00;Honiara;
LK;LKA;Sri Lanka;Sri Lanka;Sri Lanka;ASP;D;south_asian;en;3;+05:30;Colombo;
TH;THA;Thailand;Thaïlande;Tailandia;ASP;D;thai;en;4;+07:00;Bangkok;
TL;TLS;Timor-Leste;Timor-Leste;Timor-Leste;ASP;DLS;lusophone;pt;1;+09:00;Dili;en=East Timor
TO;TON;Tonga;Tonga;Tonga;ASP;DS;pacific;en;1;+13:00;Nuku'alofa;
VU;VUT;Vanuatu;Vanuatu;Vanuatu;ASP;DLS;pacific;en;1;+11:00;Port Vila;
VN;VNM;Viet Nam;Viet Nam;Viet Nam;ASP;D;vietnamese;en;4;+07:00;Hanoi|Ho Chi Minh City;en=Vietnam
AM;ARM;Armenia;Arménie;Armenia;CIS;DK;cis;ru;2;+04:00;Yerevan;
AZ;AZE;Azerbaijan;Azerbaïdjan;Azerbaiyán;CIS;DK;cis;ru;2;+04:00;Baku;
BY;BLR;Belarus;Bélarus;Belarús;CIS;;cis;ru;2;+03:00;Minsk;en=Republic of Belarus
KZ;KAZ;Kazakhstan;Kazakhstan;Kazajstán;CIS;DK;cis;ru;4;+05:00;Astana|Almaty;
KG;KGZ;Kyrgyzstan;Kirghizistan;Kirguistán;CIS;DK;cis;ru;2;+06:00;Bishkek;en=Kyrgyz Republic
RU;RUS;Russian Federation;Fédération de Russie;Federación de Rusia;CIS;;cis;ru;7;+03:00;Moscow|Saint Petersburg|Novosibirsk;en=Russia|fr=Russie|es=Rusia
TJ;TJK;Tajikistan;Tadjikistan;Tayikistán;CIS;DK;cis;ru;1;+05:00;Dushanbe;
TM;TKM;Turkmenistan;Turkménistan;Turkmenistán;CIS;DK;cis;ru;1;+05:00;Ashgabat;
UZ;UZB;Uzbekistan;Ouzbékistan;Uzbekistán;CIS;DK;cis;ru;3;+05:00;Tashkent|Samarkand;
AL;ALB;Albania;Albanie;Albania;EUR;;european;en;1;+01:00;Tirana;
AT;AUT;Austria;Autriche;Austria;EUR;;german;en;2;+01:00;Vienna;
BE;BEL;Belgium;Belgique;Bélgica;EUR;;french;fr;2;+01:00;Brussels;
BA;BIH;Bosnia and Herzegovina;Bosnie-Herzégovine;Bosnia y Herzegovina;EUR;;european;en;1;+01:00;Sarajevo;
BG;BGR;Bulgaria;Bulgarie;Bulgaria;EUR;;european;en;2;+02:00;Sofia;
HR;HRV;Croatia;Croatie;Croacia;EUR;;european;en;1;+01:00;Zagreb;
CY;CYP;Cyprus;Chypre;Chipre;EUR;;european;en;1;+02:00;Nicosia;
CZ;CZE;Czechia;Tchéquie;Chequia;EUR;;european;en;2;+01:00;Prague;en=Czech Republic|fr=République tchèque|es=República Checa
DK;DNK;Denmark;Danemark;Dinamarca;EUR;;european;en;1;+01:00;Copenhagen;
EE;EST;Estonia;Estonie;Estonia;EUR;;european;en;1;+02:00;Tallinn;
FI;FIN;Finland;Finlande;Finlandia;EUR;;european;en;1;+02:00;Helsinki;
FR;FRA;France;France;Francia;EUR;;french;fr;4;+01:00;Paris|Lyon;
DE;DEU;Germany;Allemagne;Alemania;EUR;;german;en;4;+01:00;Berlin|Bonn;
GE;GEO;Georgia;Géorgie;Georgia;EUR;D;european;en;1;+04:00;Tbilisi;
GR;GRC;Greece;Grèce;Grecia;EUR;;european;en;2;+02:00;Athens;
HU;HUN;Hungary;Hongrie;Hungría;EUR;;european;en;1;+01:00;Budapest;
IE;IRL;Ireland;Irlande;Irlanda;EUR;;anglo;en;1;+00:00;Dublin;
IT;ITA;Italy;Italie;Italia;EUR;;italian;en;3;+01:00;Rome|Milan;
LV;LVA;Latvia;Lettonie;Letonia;EUR;;european;en;1;+02:00;Riga;
LT;LTU;Lithuania;Lituanie;Lituania;EUR;;european;en;1;+02:00;Vilnius;
LU;LUX;Luxembourg;Luxembourg;Luxemburgo;EUR;;french;fr;1;+01:00;Luxembourg;
MT;MLT;Malta;Malte;Malta;EUR;;european;en;1;+01:00;Valletta;
MD;MDA;Republic of Moldova;République de Moldova;República de Moldova;EUR;K;european;en;1;+02:00;Chisinau;en=Moldova
ME;MNE;Montenegro;Monténégro;Montenegro;EUR;;european;en;1;+01:00;Podgorica;
NL;NLD;Netherlands;Pays-Bas;Países Bajos;EUR;;european;en;2;+01:00;The Hague|Amsterdam;en=Netherlands (Kingdom of the)|en=Holland
MK;MKD;North Macedonia;Macédoine du Nord;Macedonia del Norte;EUR;K;european;en;1;+01:00;Skopje;en=The former Yugoslav Republic of Macedonia|en=Macedonia|fr=Macédoine
NO;NOR;Norway;Norvège;Noruega;EUR;;european;en;1;+01:00;Oslo;
PL;POL;Poland;Pologne;Polonia;EUR;;european;en;3;+01:00;Warsaw;
PT;PRT;Portugal;Portugal;Portugal;EUR;;lusophone;pt;2;+00:00;Lisbon;
RO;ROU;Romania;Roumanie;Rumania;EUR;;european;en;2;+02:00;Bucharest;
RS;SRB;Serbia;Serbie;Serbia;EUR;;european;en;2;+01:00;Belgrade;
SK;SVK;Slovakia;Slovaquie;Eslovaquia;EUR;;european;en;1;+01:00;Bratislava;
SI;SVN;Slovenia;Slovénie;Eslovenia;EUR;;european;en;1;+01:00;Ljubljana;
ES;ESP;Spain;Espagne;España;EUR;;hispanic;es;3;+01:00;Madrid|Barcelona;
SE;SWE;Sweden;Suède;Suecia;EUR;;european;en;1;+01:00;Stockholm;
CH;CHE;Switzerland;Suisse;Suiza;EUR;;german;en;3;+01:00;Geneva|Bern;
TR;TUR;Türkiye;Türkiye;Türkiye;EUR;D;turkish;en;4;+03:00;Ankara|Istanbul;en=Turkey|fr=Turquie|es=Turquía|en=Turkiye
UA;UKR;Ukraine;Ukraine;Ucrania;EUR;;cis;en;3;+02:00;Kyiv|Lviv;
GB;GBR;United Kingdom;Royaume-Uni;Reino Unido;EUR;;anglo;en;3;+00:00;London|Manchester;en=United Kingdom of Great Britain and Northern Ireland|en=UK|en=Great Britain
"""

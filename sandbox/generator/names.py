# ruff: noqa: E501  (data tables: long literal rows read better unwrapped)
"""Name pools per naming culture, with native scripts and transliteration variants.

A pool entry is a :class:`Name`: its canonical Latin spelling, other Latin spellings met in the
wild (Mohamed / Mohammed / Muhammad, Sato / Satō / Satoh), and for Arabic and Cyrillic names the
native-script form. Cyrillic names are transliterated here by two schemes (BGN/PCGN-like and
the passport/ICAO-like one), which gives Sergey / Sergei, Aleksey / Aleksei / Alexey, Fedorov /
Fyodorov.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    latin: str
    variants: tuple[str, ...] = ()
    native: str | None = None

    @property
    def key(self) -> str:
        """Identity of the name for uniqueness checks (variants share it)."""
        return self.latin.lower()


def _latin_pool(text: str) -> tuple[Name, ...]:
    out = []
    for item in text.replace("\n", " ").split(","):
        item = item.strip()
        if not item:
            continue
        parts = item.split("/")
        out.append(Name(parts[0], tuple(parts[1:])))
    return tuple(out)


def _arabic_pool(text: str) -> tuple[Name, ...]:
    out = []
    for item in text.replace("\n", " ").split(","):
        item = item.strip()
        if not item:
            continue
        native, latin = item.split("=")
        parts = latin.split("/")
        out.append(Name(parts[0], tuple(parts[1:]), native.strip()))
    return tuple(out)


# ---------------------------------------------------------------- Cyrillic transliteration
_BGN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_ICAO = dict(_BGN, **{"й": "i", "ю": "iu", "я": "ia", "ъ": "ie"})
_VOWELS = set("аеёиоуыэюяьъ")


def translit(text: str, scheme: str = "bgn") -> str:
    """Transliterate Cyrillic to Latin. Schemes: bgn (Sergey), icao (Sergei), yo (Fyodorov),
    x (Alexey: 'кс' -> 'x')."""
    table = _ICAO if scheme == "icao" else _BGN
    out = []
    low = text.lower()
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else " "
        if ch == "е" and scheme in ("bgn", "yo") and (prev in _VOWELS or prev in " -"):
            rep = "ye"
        elif ch == "ё":
            rep = "yo" if scheme == "yo" else "e"
        elif ch == "к" and scheme == "x" and i + 1 < len(low) and low[i + 1] == "с":
            rep = "x"
        elif ch == "с" and scheme == "x" and prev == "к":
            rep = ""
        elif ch == "ий"[0] and low[i : i + 2] == "ий" and i + 2 == len(low) and scheme == "icao":
            rep = "i"
        elif ch == "й" and prev == "и" and scheme == "icao" and i + 1 == len(low):
            rep = ""
        else:
            rep = table.get(ch, ch)
        if text[i].isupper() and rep:
            rep = rep[0].upper() + rep[1:]
        out.append(rep)
    result = "".join(out)
    # Capitalize after hyphens and spaces like the source.
    return result


def _cyrillic_pool(text: str) -> tuple[Name, ...]:
    out = []
    for item in text.replace("\n", " ").split(","):
        item = item.strip()
        if not item:
            continue
        canonical = translit(item, "bgn")
        variants = []
        for scheme in ("icao", "yo", "x"):
            v = translit(item, scheme)
            if v != canonical and v not in variants:
                variants.append(v)
        out.append(Name(canonical, tuple(variants), item))
    return tuple(out)


def feminine_cyrillic_family(native: str) -> str:
    for suffix, fem in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая")):
        if native.endswith(suffix):
            return native[: -len(suffix)] + fem
    if native.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return native + "а"
    return native


def feminine_polish_family(latin: str) -> str:
    for suffix, fem in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if latin.endswith(suffix):
            return latin[: -len(suffix)] + fem
    return latin


# Patronymics (male, female) for the CIS pool's ФИО.
PATRONYMICS: tuple[tuple[str, str], ...] = (
    ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"), ("Андреевич", "Андреевна"),
    ("Алексеевич", "Алексеевна"), ("Дмитриевич", "Дмитриевна"), ("Михайлович", "Михайловна"),
    ("Иванович", "Ивановна"), ("Николаевич", "Николаевна"), ("Владимирович", "Владимировна"),
    ("Викторович", "Викторовна"), ("Юрьевич", "Юрьевна"), ("Петрович", "Петровна"),
    ("Олегович", "Олеговна"), ("Игоревич", "Игоревна"), ("Васильевич", "Васильевна"),
    ("Евгеньевич", "Евгеньевна"), ("Анатольевич", "Анатольевна"), ("Геннадьевич", "Геннадьевна"),
    ("Борисович", "Борисовна"), ("Павлович", "Павловна"), ("Рустамович", "Рустамовна"),
    ("Тимурович", "Тимуровна"),
)  # fmt: skip


@dataclass(frozen=True)
class Pool:
    female: tuple[Name, ...]
    male: tuple[Name, ...]
    family: tuple[Name, ...]
    script: str | None = None  # "Arab" or "Cyrl" when names have a native script
    compound_family: float = 0.0  # chance of two family names (García López)
    compound_given: float = 0.0  # chance of two given names (María José)
    family_first: bool = False  # names customarily written family name first


POOLS: dict[str, Pool] = {}

POOLS["anglo"] = Pool(
    female=_latin_pool("""Jennifer, Sarah, Emily, Jessica, Elizabeth, Laura, Rachel, Karen, Susan,
    Michelle, Amanda, Rebecca, Catherine/Katherine, Hannah, Olivia, Emma, Charlotte, Grace, Megan,
    Natalie, Victoria, Alison/Allison, Claire/Clare, Fiona, Joanne, Helen, Lucy, Samantha, Danielle,
    Kimberly, Andrea, Nicole, Stephanie, Tanya, Patricia, Shanice, Keisha, Donna, Marcia"""),
    male=_latin_pool("""James, John, Robert, Michael, William, David, Richard, Thomas, Christopher,
    Daniel, Matthew, Andrew, Mark, Paul, Steven/Stephen, Kevin, Brian/Bryan, Jason, Ryan, Gary,
    Timothy, Jonathan, Peter, Simon, Stuart/Stewart, Neil, Graham, Ian, Adrian, Nathan, Patrick,
    Sean/Shawn, Dwayne, Marlon, Trevor, Desmond, Leroy"""),
    family=_latin_pool("""Smith, Johnson, Williams, Brown, Jones, Miller, Davis, Wilson, Anderson,
    Taylor, Moore, Jackson, Thompson, White, Harris, Clark, Lewis, Robinson, Walker, Young, Allen,
    King, Wright, Scott, Green, Baker, Adams, Nelson, Hill, Campbell, Mitchell, Roberts, Carter,
    Phillips, Evans, Turner, Parker, Collins, Edwards, Morris, Murphy, Cook, Rogers, Morgan,
    Cooper, Peterson, Reed, Bailey, Bell, Kelly, Howard, Ward, Cox, Richardson, Wood, Watson,
    Brooks, Bennett, Gray/Grey, Hughes, Price, Sanders, Myers, Ross, Foster, Powell, Jenkins,
    Perry, Russell, Sullivan, Fisher, Henderson, Hamilton, Wallace, Fraser, Gordon, McDonald,
    O'Brien, O'Connor, Gallagher, Thornton, Blackwood, Whitfield, Ashworth, Pemberton"""),
)
POOLS["french"] = Pool(
    female=_latin_pool("""Marie, Sophie, Isabelle, Nathalie, Céline, Camille, Émilie, Hélène,
    Aurélie, Valérie, Sandrine, Stéphanie, Chloé, Léa, Manon, Juliette, Élodie, Béatrice,
    Geneviève, Françoise, Mélanie, Pauline, Claire, Anne, Agnès, Margaux, Noémie, Inès, Cécile,
    Laetitia/Laëtitia"""),
    male=_latin_pool("""Jean, Pierre, François, Nicolas, Philippe, Stéphane, Jérôme, Frédéric,
    Sébastien, Olivier, Laurent, Thierry, Éric, Benoît, Guillaume, Antoine, Julien, Christophe,
    Hervé, Rémi/Rémy, Mathieu/Matthieu, Thibault/Thibaut, Cédric, Grégoire, Bruno, Luc, Yves,
    Alexandre, Raphaël, Jean-Marc, Jean-Luc"""),
    family=_latin_pool("""Martin, Bernard, Dubois, Robert, Richard, Petit, Durand, Leroy, Moreau,
    Lefèvre, Garcia, Bertrand, Roux, Vincent, Fournier, Morel, Girard, Lefebvre, Mercier, Dupont,
    Lambert, Bonnet, Legrand, Garnier, Faure, Rousseau, Blanc, Guérin, Muller, Henry, Roussel,
    Perrin, Morin, Clément, Gauthier, Dumont, Fontaine, Chevalier, Robin, Masson, Gérard, Boyer,
    Lemaire, Duval, Joly, Roche, Noël, Meyer, Meunier, Marchand, Dufour, Blanchard, Barbier, Brun,
    Dumas, Brunet, Schmitt, Leroux, Colin, Renard, Arnaud, Rolland, Caron, Aubert, Giraud,
    Leclerc, Vidal, Bourgeois, Renaud, Lemoine, Picard, Gaillard, Lacroix, Fabre, Dupuis, Hubert,
    Guillot, Rivière, Le Gall, Moulin, Berger, Lecomte, Ménard, Fleury, Deschamps, Carpentier,
    Maillard, Aubry, Vasseur, Le Roux, Renault, Jacquet, Collet, Prévost, Poirier, Charpentier,
    Royer, Huet, Baron, Dupuy, Pons, Carré, Breton, Perrot, Guyot, Barre, Marty, Cousin"""),
)
POOLS["african_fr"] = Pool(
    female=_latin_pool("""Aminata, Fatou, Awa, Mariama, Aïssatou/Aissatou/Aïssata, Kadiatou/Kadidiatou,
    Ramatoulaye, Fatoumata, Ndèye/Ndeye, Coumba/Koumba, Rokia, Salimata, Mariam, Assita, Clarisse,
    Solange, Odette, Jeanne, Chantal, Pélagie, Esther, Grâce, Nadège, Brigitte, Florence, Sylvie,
    Christelle, Josiane, Yvette, Rosine, Delphine, Honorine, Larissa, Adjoa, Affoué"""),
    male=_latin_pool("""Mamadou/Mamadu, Moussa/Musa, Ibrahima, Ousmane/Usman, Abdoulaye/Abdullahi,
    Cheikh/Cheick, Modou, Souleymane/Suleymane, Boubacar, Amadou, Seydou, Lamine, Issa, Idrissa,
    Oumar/Umar, Aliou, Alassane, Yacouba, Koffi/Kofi, Kouassi, Kouadio, Serge, Jean-Baptiste,
    Jean-Pierre, Emmanuel, Achille, Didier, Hervé, Blaise, Patrice, Armand, Landry, Fabrice,
    Arsène, Théophile, Gaston"""),
    family=_latin_pool("""Diallo, Ndiaye/N'Diaye, Diop, Sow, Fall, Faye, Gueye/Guèye, Sarr, Mbaye,
    Cissé/Cisse, Traoré/Traore, Coulibaly/Kulibali, Keïta/Keita, Konaté, Touré, Camara/Kamara,
    Sylla, Kaboré, Ouédraogo/Ouedraogo, Sawadogo, Zongo, Compaoré, Kouamé, Konan, Koné, N'Guessan,
    Bamba, Ouattara/Wattara, Soro, Mensah, Agbodjan, Adjovi, Hounkpatin, Dossou, Ahouansou,
    Kpodar, Amoussou, Nkoulou, Mbarga, Essomba, Fotso, Tchoua, Kamga, Nguema, Ondo, Obame, Mabika,
    Moukala, Mavoungou, Mukendi, Kalala, Tshibangu, Ilunga, Kasongo, Mbuyi, Lukusa, Nsimba,
    Nzeyimana, Niyonzima, Ndayishimiye, Habimana, Rakotomalala, Randriamanana, Rasoanaivo,
    Andrianjafy, Ratsimbazafy, Razafindrakoto, Mahamat, Abakar, Oumarou, Hamani, Maïga/Maiga,
    Cissoko, Dembélé, Diarra, Sangaré, Sidibé, Doumbia, Bah, Barry, Condé, Kouyaté, Soumah,
    Bangoura, Tall, Kane, Mbengue, Sène, Thiam, Badji, Goudiaby, Tapsoba, Yaméogo, Zida"""),
)
POOLS["african_en"] = Pool(
    female=_latin_pool("""Grace, Mercy, Faith, Blessing, Joy, Esther, Ruth, Agnes, Florence,
    Margaret, Janet, Patience, Gift, Precious, Chipo, Nyasha, Thandiwe/Thandi, Nomvula, Lerato,
    Naledi, Zanele, Wanjiru, Njeri, Akinyi, Achieng, Wairimu, Nafula, Amina, Halima, Zawadi, Neema,
    Aisha/Aishat, Ngozi, Chiamaka, Adaeze, Funmilayo/Funmi, Yetunde, Folake, Abena, Akosua, Ama,
    Efua, Tigist, Meron, Hiwot, Selamawit, Mekdes, Winnie, Lindiwe, Busisiwe"""),
    male=_latin_pool("""John, Peter, Joseph, Samuel, Daniel, David, Emmanuel, Patrick, Moses, Isaac,
    Godfrey, Charles, Francis, George, Kennedy, Brian, Dennis, Collins, Victor, Stephen, Tendai,
    Tatenda, Tapiwa, Thabo, Sipho, Themba, Mandla, Kagiso, Tshepo, Kamau, Otieno, Odhiambo,
    Kipchoge, Mwangi, Chukwuemeka, Oluwaseun/Seun, Olumide, Babatunde, Adebayo, Chinedu, Emeka,
    Ikechukwu, Kwame, Kwabena, Yaw, Kojo, Dawit, Tesfaye, Getachew, Abebe, Yonas/Yonatan, Bekele,
    Innocent, Lovemore"""),
    family=_latin_pool("""Mwangi, Kamau, Otieno, Odhiambo, Ochieng, Wanjiku, Kariuki, Njoroge,
    Kiprop, Cheruiyot, Mutua, Kiplagat, Okello, Mugisha, Tumusiime, Byaruhanga, Ssempala, Nakato,
    Mukasa, Namutebi, Okafor, Okonkwo, Adeyemi, Adebayo, Ogunleye, Bello, Abubakar, Eze, Nwosu,
    Chukwu, Obi, Olawale, Oyelaran, Owusu, Boateng, Asante, Osei, Addo, Agyeman, Appiah, Amoah,
    Darko, Banda, Phiri, Mwale, Tembo, Zulu, Ndlovu, Dlamini, Nkosi, Khumalo, Mthembu, Moyo,
    Sibanda, Ncube, Chikwanha, Mutasa, Nyathi, Mokoena, Molefe, Mahlangu, Sithole, Tshabalala,
    Van der Merwe, Botha, Pretorius, Mollel, Massawe, Kimaro, Mrema, Lyimo, Nkurunziza, Uwase,
    Mulugeta, Tadesse, Haile, Gebremedhin/Gebre Medhin, Alemu, Girma, Kebede, Wolde, Sesay, Conteh,
    Koroma, Bangura, Jallow, Ceesay, Njie, Sanneh, Kollie, Shikongo, Nghipondoka, Amukoto,
    Hamutenya, Sekgoma, Masire, Kgosi, Ramotswe, Mensah, Annan, Quaye, Tetteh, Nartey, Lamptey,
    Ogundipe, Balogun, Adewale, Oyewole, Akinola, Nnamdi, Onyekachi, Uchenna"""),
)
POOLS["lusophone"] = Pool(
    female=_latin_pool("""Ana, Maria, Beatriz, Camila, Fernanda, Juliana, Mariana, Larissa, Gabriela,
    Luciana, Patrícia, Renata, Tatiana, Adriana, Cláudia, Sílvia, Conceição, Fátima, Joana, Inês,
    Rita, Catarina, Marta, Raquel, Teresa, Luísa, Vitória, Letícia, Aline, Débora, Graça"""),
    male=_latin_pool("""João, José, António/Antônio, Francisco, Carlos, Paulo, Pedro, Lucas, Luiz/Luís,
    Marcos, Gabriel, Rafael, Daniel, Marcelo, Bruno, Eduardo, Felipe/Filipe, Rodrigo, Manuel, Nuno,
    Rui, Miguel, Tiago/Thiago, Sérgio, Fábio, Vítor/Victor, Gonçalo, Henrique, Leandro, Mário,
    Armando, Domingos, Inácio, Fernando, Adérito"""),
    family=_latin_pool("""Silva, Santos, Oliveira, Souza/Sousa, Rodrigues, Ferreira, Alves, Pereira,
    Lima, Gomes, Costa, Ribeiro, Martins, Carvalho, Almeida, Lopes, Soares, Fernandes, Vieira,
    Barbosa, Rocha, Dias, Nascimento, Andrade, Moreira, Nunes, Marques, Machado, Mendes, Freitas,
    Cardoso, Ramos, Gonçalves, Santana, Teixeira, Araújo, Correia, Pinto, Monteiro, Cunha, Moura,
    Cavalcanti, Azevedo, Magalhães, Brandão, Guimarães, Sequeira, Tavares, Fonseca, Macedo,
    Quaresma, Muianga, Mondlane, Macuácua, Nhantumbo, Cossa, Sitoe, Manjate, Langa, Tembe, Neto,
    Baptista/Batista, Cabral, Semedo, Fortes, Furtado, Évora, Varela"""),
    compound_family=0.3,
)
POOLS["hispanic"] = Pool(
    female=_latin_pool("""María, Ana, Carmen, Laura, Lucía, Sofía, Valentina, Isabel, Patricia,
    Gabriela, Daniela, Andrea, Paola, Claudia, Mónica, Verónica, Alejandra, Adriana, Natalia,
    Carolina, Mariana, Fernanda, Silvia, Rosa, Teresa, Beatriz, Elena, Lorena, Marisol, Ximena,
    Jimena, Paula, Camila, Inés, Guadalupe, Yolanda, Gloria"""),
    male=_latin_pool("""José, Juan, Luis, Carlos, Jorge, Miguel, Pedro, Javier, Alejandro, Fernando,
    Ricardo, Eduardo, Andrés, Diego, Sergio, Raúl, Óscar, Rubén, Héctor, Mario, Gustavo, Pablo,
    Manuel, Francisco, Antonio, Rafael, Roberto, Alberto, Gonzalo, Martín, Ignacio, Tomás,
    Esteban, Julián, Nicolás, Hernán, Joaquín"""),
    family=_latin_pool("""García, Rodríguez, Martínez, Hernández, López, González, Pérez, Sánchez,
    Ramírez, Torres, Flores, Rivera, Gómez, Díaz, Reyes, Morales, Cruz, Ortiz, Gutiérrez, Chávez,
    Ramos, Ruiz, Jiménez, Mendoza, Álvarez, Castillo, Romero, Vargas, Herrera, Medina, Aguilar,
    Castro, Guzmán, Fernández, Moreno, Muñoz, Rojas, Vásquez/Vázquez, Salazar, Delgado, Peña,
    Soto, Contreras, Sandoval, Cortés, Núñez, Ríos, Acosta, Figueroa, Navarro, Campos, Domínguez,
    Vega, Molina, Espinoza/Espinosa, Cabrera, Fuentes, Carrillo, Valencia, Miranda, Ibarra,
    Paredes, Bravo, Benítez, Cárdenas, Quispe, Mamani, Villalobos, Orozco, Zamora, Cordero,
    Arias, Ochoa, Montoya, Pineda, Lara, Serrano, Escobar, Duarte, Palacios, Velásquez, Valdez,
    Maldonado, Zúñiga, Guerrero, Cuevas, Sosa, Salinas, Echeverría, Iturralde, Urrutia"""),
    compound_family=0.5,
    compound_given=0.15,
)
POOLS["arabic"] = Pool(
    female=_arabic_pool("""فاطمة=Fatima/Fatma/Fatema, مريم=Mariam/Maryam/Meriem, عائشة=Aisha/Aicha/Aysha,
    نور=Nour/Noor/Nur, سارة=Sara/Sarah, ليلى=Leila/Layla/Laila, هدى=Houda/Huda/Hoda, أمل=Amal,
    رانيا=Rania/Ranya, ياسمين=Yasmine/Yasmin, سلمى=Salma, هناء=Hanaa/Hana, دينا=Dina,
    ريم=Reem/Rim, نادية=Nadia/Nadya, سميرة=Samira/Sameera, خديجة=Khadija/Khadidja,
    زينب=Zeinab/Zainab/Zineb, أسماء=Asmaa/Asma, إيمان=Iman/Imane/Eman, لينا=Lina, منى=Mona/Muna,
    نورة=Noura/Nura, رشا=Rasha, سعاد=Souad/Suad, وفاء=Wafaa/Wafa, غادة=Ghada, هبة=Heba/Hiba,
    نسرين=Nesrine/Nisreen, أميرة=Amira/Ameera, لمياء=Lamia/Lamya, كريمة=Karima/Kareema,
    نعيمة=Naima/Naeema, سهام=Siham, جميلة=Jamila/Djamila, شيماء=Shaimaa/Chaimae"""),
    male=_arabic_pool("""محمد=Mohamed/Mohammed/Muhammad/Mohammad, أحمد=Ahmed/Ahmad, علي=Ali,
    حسن=Hassan/Hasan, حسين=Hussein/Hussain/Houssein, عمر=Omar/Omer, خالد=Khaled/Khalid,
    يوسف=Youssef/Yousef/Yusuf, إبراهيم=Ibrahim/Ebrahim, عبدالله=Abdullah/Abdallah/Abdulla,
    مصطفى=Mostafa/Mustafa/Moustafa, طارق=Tarek/Tariq/Tarik, كريم=Karim/Kareem, سامي=Sami/Samy,
    وليد=Walid/Waleed, هشام=Hisham/Hicham, رشيد=Rachid/Rashid, سعيد=Saeed/Said/Saïd,
    ناصر=Nasser/Naser, فيصل=Faisal/Faysal, ماجد=Majed/Majid, جمال=Jamal/Gamal, عادل=Adel/Adil,
    منير=Mounir/Munir, أيمن=Ayman/Aymen, بلال=Bilal, زياد=Ziad/Ziyad, نبيل=Nabil/Nabeel,
    ياسين=Yassine/Yasin, سليمان=Suleiman/Sulaiman/Slimane, عماد=Imad/Emad, فارس=Fares/Faris,
    مروان=Marwan, هاني=Hani/Hany, رامي=Rami/Ramy, صلاح=Salah/Salaheddine, حمزة=Hamza,
    أنور=Anwar/Anouar, عثمان=Othman/Osman/Usman"""),
    family=_arabic_pool("""السيد=El-Sayed/Al-Sayed/Elsayed, المصري=El-Masry/Al-Masri/El Masri,
    حداد=Haddad, خليل=Khalil, منصور=Mansour/Mansur, حسان=Hassan/Hasan,
    عبد الرحمن=Abdel Rahman/Abdelrahman/Abdul Rahman, الأمين=El Amine/Al-Amin,
    بوعزيزي=Bouazizi, بن علي=Ben Ali/Benali, شريف=Cherif/Sharif/Chérif, ناصر=Nasser,
    فاروق=Farouk/Farouq, حمدان=Hamdan, صالح=Saleh/Salah, الحربي=Al-Harbi/Alharbi,
    العتيبي=Al-Otaibi/Alotaibi, القحطاني=Al-Qahtani/Alqahtani, الشامسي=Al-Shamsi/Alshamsi,
    الهاشمي=Al-Hashimi/Al-Hashemi, الزهراني=Al-Zahrani/Alzahrani, بن موسى=Benmoussa/Ben Moussa,
    بلقاسم=Belkacem/Belgacem, محمود=Mahmoud/Mahmood, عزيز=Aziz, خوري=Khoury/Khouri,
    نصار=Nassar, عوض=Awad, درويش=Darwish/Darwich, فهمي=Fahmy/Fahmi, غانم=Ghanem/Ghanim,
    حجازي=Hegazy/Hijazi/Higazi, جابر=Jaber/Jabir, كمال=Kamal, لحلو=Lahlou, مكي=Mekki/Makki,
    الناصري=Naciri/Nasiri, قاسم=Kassem/Qasim/Qassem, رحموني=Rahmouni, صبري=Sabry/Sabri,
    طاهر=Taher/Tahir, زكي=Zaki/Zaky, بكر=Bakr, حمد=Hamad, الكواري=Al-Kuwari/Alkuwari,
    العلوي=Alaoui/Al-Alawi, التازي=Tazi/Ettazi, الفاسي=El Fassi/Al-Fasi, بنجلون=Benjelloun,
    المنصوري=El Mansouri/Al-Mansouri, الدوسري=Al-Dosari/Aldossary, البلوشي=Al-Balushi/Albalushi,
    الرفاعي=Al-Rifai/Rifai, الجبوري=Al-Jubouri/Aljubouri, السعدي=Al-Saadi/Saadi,
    عيسى=Issa/Eissa, موسى=Moussa/Musa, يعقوب=Yacoub/Yaqoub, الشريف=El Cherif/Al-Sharif,
    بوزيد=Bouzid, حمودة=Hammouda/Hamouda, بوعلام=Boualem, زروقي=Zerrouki"""),
    script="Arab",
)
POOLS["cis"] = Pool(
    female=_cyrillic_pool("""Елена, Ольга, Наталья, Татьяна, Ирина, Светлана, Анна, Мария, Екатерина,
    Юлия, Анастасия, Марина, Людмила, Галина, Оксана, Дарья, Ксения, Виктория, Алина, Надежда,
    Валентина, Вера, Айгуль, Гульнара, Динара, Жанна, Алия, Асель, Нигора, Лейла, Анаит, Гаяне,
    Зарина, Камила, Мадина, Сабина, Полина, Софья"""),
    male=_cyrillic_pool("""Александр, Сергей, Андрей, Алексей, Дмитрий, Михаил, Иван, Николай,
    Владимир, Евгений, Павел, Артём, Максим, Игорь, Олег, Юрий, Виктор, Роман, Денис, Константин,
    Георгий, Анатолий, Вадим, Григорий, Кирилл, Фёдор, Борис, Тимур, Руслан, Нурлан, Айбек,
    Бахтияр, Рустам, Азамат, Ержан, Арман, Тигран, Арам, Эльдар, Фарид, Ильхом, Шухрат"""),
    family=_cyrillic_pool("""Иванов, Смирнов, Кузнецов, Попов, Васильев, Петров, Соколов, Михайлов,
    Новиков, Фёдоров, Морозов, Волков, Алексеев, Лебедев, Семёнов, Егоров, Павлов, Козлов,
    Степанов, Николаев, Орлов, Андреев, Макаров, Никитин, Захаров, Зайцев, Соловьёв, Борисов,
    Яковлев, Григорьев, Романов, Воробьёв, Сергеев, Кузьмин, Фролов, Александров, Дмитриев,
    Королёв, Гусев, Киселёв, Ильин, Максимов, Поляков, Сорокин, Виноградов, Ковалёв, Белов,
    Медведев, Антонов, Тарасов, Жуков, Баранов, Филиппов, Комаров, Давыдов, Беляев, Герасимов,
    Богданов, Осипов, Сидоров, Матвеев, Титов, Марков, Миронов, Крылов, Куликов, Карпов, Власов,
    Мельников, Денисов, Гаврилов, Тихонов, Казаков, Афанасьев, Данилов, Савельев, Тимофеев,
    Фомин, Чернов, Абрамов, Мартынов, Ефимов, Федотов, Щербаков, Назаров, Калинин, Исаев,
    Чернышёв, Быков, Маслов, Родионов, Коновалов, Лазарев, Воронин, Климов, Филатов, Пономарёв,
    Голубев, Кудрявцев, Прохоров, Наумов, Потапов, Журавлёв, Овчинников, Трофимов, Леонов,
    Соболев, Ермаков, Колесников, Гончаров, Емельянов, Никифоров, Грачёв, Котов, Гришин,
    Ефремов, Архипов, Громов, Кириллов, Малышев, Панов, Моисеев, Румянцев, Акимов, Кондратьев,
    Бирюков, Горбунов, Анисимов, Ерёмин, Тихомиров, Галкин, Лукьянов, Михеев, Скворцов, Юдин,
    Белоусов, Нестеров, Симонов, Прокофьев, Харитонов, Князев, Цветков, Левин, Руденко,
    Шевченко, Бондаренко, Ткаченко, Кравченко, Коваленко, Абдуллаев, Алиев, Мамедов, Гасанов,
    Петросян, Саргсян, Оганесян, Ахмедов, Каримов, Рахимов, Юсупов, Исмаилов, Сулейманов,
    Жумабаев, Токтогулов, Садыков, Омаров, Бекмуратов, Нурпеисов, Ибрагимов, Хасанов"""),
    script="Cyrl",
)
POOLS["south_asian"] = Pool(
    female=_latin_pool("""Priya, Anjali, Pooja/Puja, Neha, Sunita, Kavita, Deepika, Lakshmi/Laxmi,
    Meera/Mira, Shreya, Divya, Anita, Rekha, Aarti/Arti, Sneha, Nisha, Ayesha/Aisha, Sana, Hina,
    Nadia, Farzana, Nusrat, Shirin, Rukhsana, Tahmina, Sharmin, Nasrin, Pema, Sonam, Dechen,
    Nirmala, Sita, Gita/Geeta, Chathurika, Nadeesha, Dilini, Shabnam"""),
    male=_latin_pool("""Rajesh, Suresh, Ramesh, Anil, Sunil, Vijay, Sanjay, Amit, Rahul, Arjun,
    Vikram, Rohit, Manoj, Ashok, Prakash, Sandeep, Kiran, Ravi, Venkatesh, Srinivas, Muhammad/Mohammad,
    Imran, Usman/Osman, Bilal, Faisal, Asif, Kamran, Tariq, Zahid, Rashid, Rafiq, Habib, Mizanur,
    Shahidul, Arif, Anwar, Tashi, Dorji, Karma, Bishnu, Krishna, Nimal, Kasun, Chaminda,
    Ahmad/Ahmed, Naveed/Navid"""),
    family=_latin_pool("""Sharma, Verma, Gupta, Singh, Kumar, Patel, Shah, Mehta, Reddy, Rao, Nair,
    Menon, Iyer, Pillai, Das, Chatterjee, Banerjee, Mukherjee, Bose, Ghosh, Sen, Joshi, Kulkarni,
    Desai, Jain, Agarwal/Aggarwal, Malhotra, Kapoor, Chopra, Bhatt, Mishra, Pandey, Tiwari, Yadav,
    Chauhan, Khan, Hussain/Hussein, Qureshi, Malik, Chaudhry/Choudhry, Butt, Raza, Siddiqui,
    Akhtar, Iqbal, Javed, Mahmood, Rahman, Hossain, Islam, Uddin, Chowdhury, Sarkar, Talukder,
    Bhuiyan, Miah, Karim, Shrestha, Thapa, Gurung, Tamang, Adhikari, Poudel/Paudel, Koirala,
    Wangchuk, Tshering, Perera, Fernando, Jayasinghe, Wickramasinghe, Bandara, Dissanayake,
    Rathnayake, Gunawardena, Herath, Ahmadzai, Popal, Stanikzai, Rahimi, Naseem, Saleem, Anjum"""),
)
POOLS["chinese"] = Pool(
    female=_latin_pool("""Xiaoyan, Haiyan, Jing, Yan, Ying, Hui, Mei, Li, Na, Min, Ping, Dan, Yu,
    Lihua, Yanping, Xiaohong, Xiaoli, Wenjing, Shuang, Lin, Fang, Juan, Xue, Ting, Qian, Yue,
    Jiayi, Yuxin, Ruolan, Xinyi"""),
    male=_latin_pool("""Wei, Lei, Qiang, Jun, Tao, Ming, Yong, Jie, Chao, Xin, Hong, Bo, Peng, Hao,
    Yang, Yi, Zhiwei, Wenjun, Haitao, Jianhua, Jianguo, Xiaoming, Guoqiang, Zhiqiang, Jian, Feng,
    Kai, Long, Zhen, Haoran, Yufei, Zihao"""),
    family=_latin_pool("""Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Xu, Sun, Ma, Zhu,
    Hu, Guo, He, Lin, Gao, Luo, Zheng, Liang, Xie, Song, Tang, Han, Feng, Deng, Cao, Peng, Zeng,
    Xiao, Tian, Dong, Pan, Yuan, Cai, Jiang, Yu, Du, Ye, Cheng, Wei, Su, Lu, Ding, Ren, Shen"""),
    family_first=True,
)
POOLS["japanese"] = Pool(
    female=_latin_pool("""Yuki, Aiko, Haruka, Yui, Sakura, Naoko, Keiko, Yoko/Yōko, Tomoko, Akiko, Mai,
    Emi, Ayaka, Misaki, Kaori, Noriko, Megumi, Rie, Chihiro, Mariko, Yumi, Asuka"""),
    male=_latin_pool("""Hiroshi, Takashi, Kenji, Takeshi, Satoshi, Kazuki, Daisuke, Yuta/Yūta, Shota/Shōta,
    Ryo/Ryō, Kenta, Makoto, Naoki, Tetsuya, Hideki, Koji/Kōji, Masahiro, Yoshiaki, Tomohiro, Akira,
    Shunsuke, Yusuke/Yūsuke"""),
    family=_latin_pool("""Sato/Satō/Satoh, Suzuki, Takahashi, Tanaka, Watanabe, Ito/Itō/Itoh, Yamamoto,
    Nakamura, Kobayashi, Kato/Katō/Katoh, Yoshida, Yamada, Sasaki, Yamaguchi, Matsumoto, Inoue,
    Kimura, Hayashi, Shimizu, Yamazaki, Mori, Abe, Ikeda, Hashimoto, Ishikawa, Ogawa, Okada,
    Hasegawa, Fujita, Goto/Gotō/Gotoh, Kondo/Kondō, Murakami, Endo/Endō/Endoh, Aoki, Sakamoto,
    Nishimura, Fukuda, Ota/Ōta/Ohta, Miura, Fujii"""),
    family_first=True,
)
POOLS["korean"] = Pool(
    female=_latin_pool("""Ji-yeon/Jiyeon, Min-ji/Minji, Seo-yeon/Seoyeon, Hye-jin/Hyejin, Eun-ji/Eunji,
    Soo-jin/Su-jin, Ji-hye/Jihye, Yu-na/Yuna, Su-bin/Subin, Ha-eun/Haeun, Mi-kyung/Mi-kyeong,
    Jung-hee/Jeong-hui, Young-mi/Yeong-mi, Sun-hee/Seon-hui, Eun-young/Eun-yeong, Da-som/Dasom"""),
    male=_latin_pool("""Min-jun/Minjun, Ji-hoon/Jihoon, Seung-ho/Seungho, Dong-hyun/Dong-hyeon,
    Jae-won/Jaewon, Sung-min/Seong-min, Hyun-woo/Hyeon-u, Jun-ho/Junho, Tae-yang/Taeyang,
    Sang-woo/Sang-u, Young-soo/Yeong-su, Jin-woo/Jinwoo, Kwang-soo/Gwang-su, Chul-soo/Cheol-su,
    Byung-hoon/Byeong-hun, Sung-jin/Seong-jin"""),
    family=_latin_pool("""Kim, Lee/Yi/Rhee, Park/Pak, Choi/Choe, Jung/Jeong/Chung, Kang, Cho/Jo,
    Yoon/Yun, Jang, Lim/Im, Han, Oh, Seo, Shin, Kwon, Hwang, Ahn, Song, Yoo/Yu, Hong, Jeon,
    Ko, Moon/Mun, Yang, Son, Bae, Baek, Heo, Nam, Noh"""),
    family_first=True,
)
POOLS["malay"] = Pool(
    female=_latin_pool("""Siti, Dewi, Sri, Putri, Rina, Wulan, Ayu, Fitri, Indah, Ratna, Nurul,
    Aisyah/Aishah, Farah, Aminah, Nurhayati, Lestari, Kartika, Intan, Suryani, Zarina, Noraini,
    Faridah, Haslinda, Rosnah, Sokha, Thida, Khin"""),
    male=_latin_pool("""Budi, Agus, Ahmad, Muhammad/Mohd, Hendra, Rizki/Rizky, Dedi, Eko, Joko, Andi,
    Bambang, Hadi, Rudi, Yusuf/Yusof, Arif, Irfan, Fajar, Wahyu, Adi, Hafiz, Azman, Razak, Faizal,
    Zulkifli, Kamarul, Sokhom, Aung, Zaw"""),
    family=_latin_pool("""Santoso, Wijaya, Saputra, Pratama, Hidayat, Kurniawan, Setiawan, Susanto,
    Gunawan, Nugroho, Wibowo, Purnomo, Siregar, Nasution, Simanjuntak, Harahap, Lubis, Hasibuan,
    Sitompul, Tanjung, Rahman, Abdullah, Ismail, Hassan, Ibrahim, Othman, Aziz, Hamid, Salleh,
    Mohamad, Tan, Lim, Ng, Wong, Chong, Goh, Teo, Soe, Win, Kyaw, Htun, Heng, Keo, Chea, Sok,
    Prasetyo, Hartono, Halim, Sulaiman, Ramli"""),
)
POOLS["thai"] = Pool(
    female=_latin_pool("""Siriporn, Kanokwan, Nattaya, Pornthip, Sukanya, Wanida, Ratana, Supaporn,
    Jintana, Malee, Orathai, Pimchanok, Kannika, Chanida, Arunee, Keo, Souksavanh, Phonesavanh"""),
    male=_latin_pool("""Somchai, Somsak, Prasert, Sompong, Chaiwat, Anan, Wichai, Surachai, Thanawat,
    Kittipong, Nattapong, Pongsak, Sakchai, Weerapong, Apichart, Bounmy, Khamphone, Vilaysack"""),
    family=_latin_pool("""Saetang, Srisuk, Wongsawat, Chaiyaporn, Rattanakul, Suksawat, Thongchai,
    Boonmee, Kongkaew, Phromphan, Sirisombat, Jaidee, Somboon, Prasertsri, Charoensuk,
    Intharasombat, Kaewkanya, Pattanapong, Siriwat, Thammasak, Rungrueang, Wattana, Chantarasuk,
    Phonsavanh, Vongsa, Keomany, Sisouphanh, Phommachanh, Boonyarat, Chaisiri, Kittisak,
    Limsakul, Ratanaporn, Sukhumvit, Thepsiri, Wongsuwan"""),
)
POOLS["vietnamese"] = Pool(
    female=_latin_pool("""Thị Lan, Thị Hương, Thị Mai, Thị Hoa, Thị Thu, Thị Hạnh, Ngọc Anh, Thu Trang,
    Minh Thư, Thanh Huyền, Thị Ngọc, Phương Linh, Thùy Dung, Thị Hằng, Bích Ngọc, Hồng Nhung,
    Thanh Hà, Kim Oanh, Quỳnh Anh, Thị Loan, Diệu Linh, Hải Yến, Mỹ Linh, Thị Tuyết, Ngọc Hân"""),
    male=_latin_pool("""Văn Hùng, Văn Nam, Minh Tuấn, Đức Anh, Quang Huy, Văn Long, Thanh Tùng,
    Hoàng Long, Văn Thắng, Minh Đức, Quốc Bảo, Văn Dũng, Tiến Dũng, Hữu Phước, Công Minh,
    Văn Hải, Đình Khoa, Xuân Trường, Mạnh Hùng, Quốc Việt, Trọng Nghĩa, Văn Toàn, Anh Tuấn,
    Hữu Thành, Ngọc Sơn"""),
    family=_latin_pool("""Nguyễn, Trần, Lê, Phạm, Hoàng/Huỳnh, Phan, Vũ/Võ, Đặng, Bùi, Đỗ, Hồ, Ngô,
    Dương, Lý, Đinh, Trương, Lương, Mai, Cao, Tạ, Trịnh, Đoàn, Vương, Lâm"""),
    family_first=True,
)
POOLS["filipino"] = Pool(
    female=_latin_pool("""Maria, Kristine/Christine, Jennifer, Mary Grace, Rowena, Lorna, Maricel,
    Rosalie, Jocelyn, Analyn, Cherry, Joy, Liza, Marites, Rhea, Lovely, Arlene, Divina"""),
    male=_latin_pool("""Jose, Juan, Mark, John Paul, Romeo, Rolando, Ramon, Eduardo, Renato, Reynaldo,
    Jerome, Ariel, Noel, Rodel, Jericho, Arnel, Efren, Danilo"""),
    family=_latin_pool("""Santos, Reyes, Cruz, Bautista, Ocampo, Garcia, Mendoza, Torres, Tomas,
    Andrade, Castillo, Flores, Villanueva, Ramos, Castro, Rivera, Aquino, Navarro, Salazar,
    Mercado, Dela Cruz/De la Cruz, De Guzman, Del Rosario, Pascual, Manalo, Soriano, Dizon,
    Gonzales, Aguilar, Fernandez, Macaraeg, Dimaculangan, Panganiban, Lacson, Magsaysay"""),
)
POOLS["pacific"] = Pool(
    female=_latin_pool("""Mere, Losana, Ana, Salote, Litia, Vika, Sina, Lupe, Seini, Mele, Grace, Mary,
    Elenoa, Ruth, Talei, Fuimaono, Akanesi"""),
    male=_latin_pool("""Jone, Sione, Tevita, Viliami, Semisi, Ioane, Tomasi, Peni, Samuela, Isikeli,
    Joseph, John, Paul, Taniela, Epeli, Manase, Tavita"""),
    family=_latin_pool("""Tuilagi, Fifita, Tupou, Vake, Lolohea, Naivalu, Ratu, Waqa, Tuisawau, Koroi,
    Leota, Faleolo, Toala, Aiono, Sopoaga, Kaitu, Tabe, Teiwaki, Namaliu, Kaupa, Natapei,
    Kalsakau, Lini, Wale, Havili, Mahe, Taufa, Vainikolo, Rabuka, Naulu, Vunibola, Kepa"""),
)
POOLS["persian"] = Pool(
    female=_latin_pool("""Maryam, Zahra, Fatemeh/Fatima, Narges, Leila/Leyla, Sara, Mina, Shirin,
    Parisa, Nazanin, Elham, Samira, Mahsa, Neda, Azadeh, Roya"""),
    male=_latin_pool("""Mohammad/Mohammed, Ali, Reza, Hossein/Hosein, Mehdi/Mahdi, Amir, Hamid,
    Saeed/Said, Majid, Behnam, Farhad, Kaveh, Babak, Arash, Dariush/Daryoush, Hamed"""),
    family=_latin_pool("""Hosseini/Hoseini, Mohammadi, Ahmadi, Rezaei/Rezaie, Moradi, Karimi, Jafari,
    Rahimi, Sadeghi, Hashemi, Ghorbani, Mousavi/Musavi, Kazemi, Najafi, Tehrani, Shirazi,
    Esfahani, Akbari, Rostami, Nouri/Nuri, Farahani, Mahmoudi, Bagheri, Amini, Asadi, Ebrahimi,
    Heydari, Zamani, Ranjbar, Soltani"""),
)
POOLS["turkish"] = Pool(
    female=_latin_pool("""Ayşe/Ayse, Fatma, Emine, Zeynep, Elif, Merve, Büşra, Esra, Özlem, Gül, Derya,
    Sevgi, Hülya, Selin, Ebru, Aslı, Pınar"""),
    male=_latin_pool("""Mehmet/Mehmed, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, Murat, Emre, Burak,
    Serkan, Okan, Kemal, Oğuz, Çağlar, Tolga, Volkan"""),
    family=_latin_pool("""Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir,
    Arslan, Doğan, Kılıç, Aslan, Çetin, Kara, Koç, Kurt, Özkan, Şimşek, Polat, Korkmaz, Güneş,
    Aksoy, Erdem, Tekin, Uçar, Bozkurt, Karaca, Avcı"""),
)
POOLS["german"] = Pool(
    female=_latin_pool("""Anna, Julia, Katharina, Sabine, Petra, Claudia, Monika, Andrea, Stefanie,
    Nicole, Susanne, Birgit, Jana, Lena, Laura, Sandra, Melanie, Christina, Ursula, Jutta, Corinne,
    Nadine, Regula"""),
    male=_latin_pool("""Thomas, Michael, Andreas, Stefan, Christian, Markus, Frank, Jürgen, Klaus,
    Peter, Uwe, Matthias, Tobias, Daniel, Sebastian, Florian, Jörg, Wolfgang, Ralf, Lukas, Reto,
    Urs, Beat"""),
    family=_latin_pool("""Müller/Mueller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker,
    Schulz, Hoffmann, Schäfer/Schaefer, Koch, Bauer, Richter, Klein, Wolf, Schröder/Schroeder,
    Neumann, Schwarz, Zimmermann, Braun, Krüger/Krueger, Hofmann, Hartmann, Lange, Schmitt,
    Werner, Schmitz, Krause, Meier, Lehmann, Huber, Kaiser, Fuchs, Peters, Scholz, Möller/Moeller,
    Weiß/Weiss, Jung, Hahn, Vogel, Keller, Graf, Frei, Steiner, Brunner, Baumann, Gerber,
    Widmer, Zürcher, Bachmann, Gasser"""),
)
POOLS["italian"] = Pool(
    female=_latin_pool("""Giulia, Francesca, Chiara, Sara, Valentina, Federica, Silvia, Elena,
    Alessandra, Martina, Paola, Roberta, Laura, Giovanna, Elisa, Lucia"""),
    male=_latin_pool("""Marco, Giuseppe, Giovanni, Francesco, Luca, Andrea, Alessandro, Matteo,
    Lorenzo, Stefano, Paolo, Roberto, Davide, Simone, Fabio, Niccolò/Nicolò"""),
    family=_latin_pool("""Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino,
    Greco, Bruno, Gallo, Conti, De Luca, Mancini, Costa, Giordano, Rizzo, Lombardi, Moretti,
    Barbieri, Fontana, Santoro, Mariani, Rinaldi, Caruso, Ferrara, Galli, Martini, Leone, Longo,
    Gentile, Martinelli, Vitale, Lombardo, Serra, Coppola, De Santis, D'Angelo, Marchetti"""),
)
POOLS["european"] = Pool(
    female=_latin_pool("""Katarzyna, Agnieszka, Małgorzata, Magdalena, Petra, Lucie, Tereza, Eszter,
    Katalin, Zsófia, Eleni, Georgia, Ingrid, Sofie, Astrid, Sanne, Anouk, Ivana, Jelena, Milica,
    Ioana, Andreea, Līga, Ieva, Nino, Tamar, Kristina, Marija, Ewa, Helena, Mette, Anneli, Liis"""),
    male=_latin_pool("""Piotr, Tomasz, Krzysztof, Paweł, Łukasz, Petr, Jiří, Martin, László, Gábor,
    Zoltán, Georgios, Dimitrios, Nikolaos, Lars, Erik, Johan, Mikael, Pieter, Joost, Bram, Marko,
    Nikola, Milan, Andrei, Mihai, Bogdan, Jānis, Tomas, Giorgi, Davit, Levan, Aleksandar, Jukka,
    Mikko, Arben"""),
    family=_latin_pool("""Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski,
    Zieliński, Novák, Svoboda, Dvořák, Černý, Procházka, Nagy, Kovács, Tóth, Szabó, Horváth,
    Papadopoulos, Georgiou, Nikolaidis, Konstantinou, Andersen, Nielsen, Hansen, Johansson,
    Karlsson, Nilsson, Larsen, Virtanen, Korhonen, de Vries, Jansen, van Dijk, Bakker, Visser,
    Janssens, Peeters, Horvat, Kovačević, Petrović, Jovanović, Nikolić, Popescu, Ionescu, Popa,
    Dumitru, Kalniņš, Bērziņš, Kazlauskas, Tamm, Saar, Beridze, Kapanadze, Gelashvili, Hoxha,
    Dimitrov, Georgiev, Borg, Camilleri, Grech, Mäkinen, Lindqvist, Berg, Van den Berg, Novaković"""),
)

CULTURE_FALLBACK = "anglo"


def pool_for(culture: str) -> Pool:
    return POOLS.get(culture, POOLS[CULTURE_FALLBACK])

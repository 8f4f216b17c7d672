package demo

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Naming cultures. A person's given and family name come from one culture, chosen mostly by
// where they work, so names read plausibly together.
const (
	english = iota
	irish
	german
	dutch
	nordic
	french
	spanish
	latinAmerican
	portuguese
	italian
	greek
	polish
	turkish
	arabic
	persian
	hebrew
	indian
	pakistani
	chinese
	japanese
	korean
	vietnamese
	malay
	westAfrican
	eastAfrican
	numCultures
)

type culture struct {
	given, family []string
}

var cultures = [numCultures]culture{
	english: {
		given: []string{"Oliver", "Amelia", "Harry", "Isla", "Jack", "Sophie", "George", "Emily", "Charlotte", "James", "Olivia", "William",
			"Grace", "Thomas", "Ella", "Daniel", "Hannah", "Samuel", "Lucy", "Matthew", "Abigail", "Ethan", "Madison", "Noah", "Chloe",
			"Jasmine", "Marcus", "Tyrone", "Keisha", "Brooke"},
		family: []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson",
			"Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Miller", "Anderson", "Harris", "Cooper",
			"Bennett", "Washington", "Mitchell", "Hughes", "Turner", "Parker"},
	},
	irish: {
		given:  []string{"Aoife", "Siobhán", "Ciarán", "Niamh", "Seán", "Eoin", "Saoirse", "Pádraig", "Róisín", "Declan", "Fionn", "Orla", "Cormac", "Máire", "Conor", "Eilidh", "Callum", "Mairead"},
		family: []string{"Murphy", "O'Brien", "Kelly", "O'Sullivan", "Walsh", "McCarthy", "Byrne", "Ryan", "O'Connor", "Doyle", "Gallagher", "MacDonald", "Campbell", "Stewart", "Fraser", "McLeod", "O'Neill", "Ó Súilleabháin"},
	},
	german: {
		given: []string{"Lukas", "Anna", "Jonas", "Lena", "Felix", "Leon", "Marie", "Maximilian", "Jürgen", "Katharina", "Tobias", "Johanna",
			"Moritz", "Clara", "Sebastian", "Annika", "Florian", "Greta", "Matthias", "Mia", "Jörg", "Ute", "Björn", "Bärbel"},
		family: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer",
			"Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann",
			"Lange", "Köhler", "Weiß", "Gruber", "Huber"},
	},
	dutch: {
		given:  []string{"Daan", "Sanne", "Bram", "Femke", "Lotte", "Jeroen", "Thijs", "Marieke", "Joost", "Anouk", "Sem", "Eline", "Joris", "Floor"},
		family: []string{"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Peeters", "Janssens", "Maes"},
	},
	nordic: {
		given:  []string{"Sigrid", "Søren", "Astrid", "Lars", "Ingrid", "Mikkel", "Freja", "Henrik", "Linnea", "Ole", "Maja", "Eero", "Aino", "Jóhanna", "Nils", "Åsa", "Kristoffer", "Magnús"},
		family: []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsen", "Hansen", "Nielsen", "Jensen", "Pedersen", "Virtanen", "Korhonen", "Lindqvist", "Berg", "Halvorsen", "Sørensen", "Åberg", "Jónsdóttir"},
	},
	french: {
		given: []string{"Chloé", "Léa", "Louis", "Camille", "Hugo", "Manon", "Théo", "Élodie", "Antoine", "Margaux", "Mathis", "Zoë", "Baptiste",
			"Océane", "Jérôme", "Amélie", "François", "Célia", "Gaëlle", "Noël"},
		family: []string{"Bernard", "Dubois", "Durand", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux", "Fournier", "Bonnet", "Mercier",
			"Lambert", "Faure", "Rousseau", "Blanc", "Guérin", "Chevalier", "Lefebvre", "Leclerc", "Benoît"},
	},
	spanish: {
		given: []string{"José", "María", "Lucía", "Javier", "Carmen", "Alejandro", "Inés", "Pablo", "Sofía", "Álvaro", "Elena", "Diego",
			"Marta", "Sergio", "Paula", "Andrés", "Nuria", "Raúl", "Irene", "Íñigo", "Ainhoa", "Jesús", "Begoña", "Óscar"},
		family: []string{"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez",
			"Ruiz", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Serrano",
			"Nuñez", "Ibáñez", "Castaño"},
	},
	latinAmerican: {
		given: []string{"Ximena", "Mateo", "Valentina", "Santiago", "Camila", "Sebastián", "Renata", "Emiliano", "Guadalupe", "Joaquín",
			"Daniela", "Rodrigo", "Fernanda", "Gael", "Itzel", "Luis", "Alejandra", "Martín"},
		family: []string{"Hernández", "Flores", "Ramírez", "Cruz", "Reyes", "Morales", "Ortiz", "Gutiérrez", "Chávez", "Mendoza", "Castillo",
			"Vargas", "Rojas", "Aguilar", "Castro", "Guzmán", "Peña", "Quintero"},
	},
	portuguese: {
		given: []string{"João", "Ana", "Gonçalo", "Beatriz", "Tiago", "Mariana", "Rafael", "Inês", "Thiago", "Larissa", "Caio", "Letícia",
			"Vinícius", "Bruna", "Leonor", "André"},
		family: []string{"Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida", "Nascimento", "Lima", "Araújo",
			"Carvalho", "Gonçalves", "Ribeiro", "Ferreira", "Barbosa", "Conceição", "Magalhães"},
	},
	italian: {
		given: []string{"Giulia", "Francesco", "Alessandro", "Chiara", "Lorenzo", "Martina", "Matteo", "Federica", "Davide", "Elisa", "Niccolò",
			"Giorgia", "Andrea", "Beatrice", "Riccardo", "Ilaria"},
		family: []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo",
			"Conti", "De Luca", "Mancini", "Giordano", "Lombardi", "Fabbri"},
	},
	greek: {
		given:  []string{"Dimitris", "Eleni", "Giorgos", "Katerina", "Nikos", "Sofia", "Yannis", "Christos", "Despina", "Athena"},
		family: []string{"Papadopoulos", "Georgiou", "Nikolaidis", "Konstantinou", "Karagiannis", "Vlachos", "Oikonomou", "Makris", "Pappas", "Alexiou"},
	},
	polish: {
		given: []string{"Łukasz", "Agnieszka", "Katarzyna", "Piotr", "Małgorzata", "Tomasz", "Zofia", "Michał", "Jakub", "Aleksandra",
			"Wojciech", "Ewa", "Tereza", "Jiří", "Lenka", "Ondřej", "Olena", "Oksana", "Ivan", "Natalia", "Zsófia", "Bence"},
		family: []string{"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
			"Dvořák", "Novák", "Svoboda", "Černý", "Procházka", "Kovalenko", "Shevchenko", "Bondarenko", "Horváth", "Nagy", "Tóth"},
	},
	turkish: {
		given:  []string{"Emre", "Elif", "Mehmet", "Zeynep", "Burak", "Ayşe", "Can", "Ebru", "Oğuz", "Selin", "Murat", "Deniz", "Gökhan", "Büşra"},
		family: []string{"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan"},
	},
	arabic: {
		given:  []string{"Omar", "Layla", "Youssef", "Fatima", "Karim", "Nour", "Hassan", "Amira", "Tariq", "Salma", "Rami", "Yasmin", "Khalid", "Mariam", "Ziad", "Hana"},
		family: []string{"Haddad", "Khoury", "Nasser", "Mansour", "Hamdan", "Saleh", "Farouk", "Aziz", "El-Sayed", "Abdallah", "Darwish", "Issa", "Karam", "Bakr", "Al-Masri", "Touma"},
	},
	persian: {
		given:  []string{"Darius", "Shirin", "Arash", "Leila", "Reza", "Parisa", "Kian", "Niloufar", "Babak", "Roya"},
		family: []string{"Hosseini", "Rahimi", "Tehrani", "Karimi", "Ahmadi", "Moradi", "Jafari", "Sadeghi", "Rostami", "Farahani"},
	},
	hebrew: {
		given:  []string{"Noa", "Yonatan", "Tamar", "Eitan", "Shira", "Avi", "Maya", "Itai", "Rivka", "Gideon"},
		family: []string{"Cohen", "Levi", "Mizrahi", "Peretz", "Biton", "Friedman", "Avraham", "Katz", "Shapiro", "Ben-David"},
	},
	indian: {
		given: []string{"Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Kavya", "Arjun", "Diya", "Rahul", "Sneha", "Aditya", "Meera", "Karthik",
			"Lakshmi", "Siddharth", "Pooja", "Nikhil", "Deepika", "Sanjay", "Ishaan", "Anjali", "Harpreet", "Gurpreet", "Varun", "Shreya",
			"Venkatesh", "Divya", "Abhishek", "Neha", "Suresh", "Ramesh", "Swati"},
		family: []string{"Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Singh", "Kumar", "Rao", "Menon", "Krishnan", "Chatterjee",
			"Banerjee", "Mukherjee", "Desai", "Joshi", "Mehta", "Kapoor", "Malhotra", "Pillai", "Subramanian", "Venkataraman", "Agarwal",
			"Bhat", "Das", "Ghosh", "Kulkarni", "Shetty", "Chopra", "Verma", "Gill", "Naidu"},
	},
	pakistani: {
		given:  []string{"Ayesha", "Bilal", "Sana", "Imran", "Farhan", "Nadia", "Zainab", "Usman", "Rafiq", "Tahmina", "Hamza", "Mahnoor"},
		family: []string{"Khan", "Qureshi", "Chaudhry", "Ahmed", "Hussain", "Malik", "Butt", "Siddiqui", "Islam", "Chowdhury", "Rahman", "Akhtar"},
	},
	chinese: {
		given: []string{"Wei", "Fang", "Jing", "Lei", "Xiu", "Hao", "Mei", "Jun", "Yan", "Ming", "Ling", "Xin", "Yuxuan", "Zihan", "Jiahui",
			"Haoran", "Shu", "Kai", "Jia Hui", "Wen"},
		family: []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo",
			"Lin", "Tan", "Lim", "Ng", "Goh", "Teo", "Ong", "Chua", "Wong"},
	},
	japanese: {
		given:  []string{"Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Yuki", "Sakura", "Kenji", "Akiko", "Takumi", "Mio", "Daiki", "Naoko"},
		family: []string{"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Matsumoto"},
	},
	korean: {
		given:  []string{"Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Ji-woo", "Seung-hoon", "Soo-ah", "Hyun-woo", "Eun-ji", "Joon", "Yuna"},
		family: []string{"Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Shin", "Han", "Seo"},
	},
	vietnamese: {
		given:  []string{"Anh", "Minh", "Thu", "Linh", "Quang", "Hương", "Đức", "Trang", "Maricel", "Jericho", "Rosalinda", "Paolo", "Angelica", "Carlo"},
		family: []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Dela Cruz", "Bautista", "Villanueva", "Aquino", "Mendoza", "Santos"},
	},
	malay: {
		given:  []string{"Putri", "Budi", "Siti", "Agus", "Dewi", "Rizky", "Nurul", "Hafiz", "Aisyah", "Farid"},
		family: []string{"Wijaya", "Santoso", "Pratama", "Hidayat", "Rahman", "Abdullah", "Halim", "Ismail", "Yusof", "Kusuma"},
	},
	westAfrican: {
		given: []string{"Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Emeka", "Funmilayo", "Kwame", "Ama", "Kofi", "Abena", "Tunde", "Chiamaka",
			"Yaw", "Efua", "Ifeoma", "Babajide", "Aminata", "Moussa"},
		family: []string{"Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu", "Mensah", "Owusu", "Boateng", "Asante", "Adebayo",
			"Obi", "Afolabi", "Danso", "Appiah", "Diallo", "Traoré", "Ndiaye"},
	},
	eastAfrican: {
		given:  []string{"Wanjiru", "Kamau", "Amani", "Zawadi", "Thabo", "Naledi", "Sipho", "Lerato", "Tendai", "Chipo", "Abebe", "Selam", "Baraka", "Nia"},
		family: []string{"Otieno", "Mwangi", "Kariuki", "Odhiambo", "Njoroge", "Nkosi", "Dlamini", "Ndlovu", "Mokoena", "Moyo", "Tesfaye", "Bekele", "Haile", "Achieng"},
	},
}

// Letters that Unicode does not decompose into a base letter and a mark.
var plainLetters = strings.NewReplacer("ß", "ss", "ø", "o", "æ", "ae", "œ", "oe", "ł", "l", "đ", "d", "ı", "i", "þ", "th", "ð", "d")

// emailPart turns a name into the ASCII letters an email address uses: "Ó Súilleabháin" →
// "osuilleabhain", "Nguyễn" → "nguyen", "Weiß" → "weiss".
func emailPart(name string) string {
	s := plainLetters.Replace(strings.ToLower(name))
	s, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn))), s)
	if err != nil {
		return ""
	}
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

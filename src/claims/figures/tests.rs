//! Table-driven extraction tests: each row is a sentence, the figure's text, and what it means.

use super::*;

/// (sentence, span text, value, high, unit, bound, direction)
type Row = (&'static str, &'static str, f64, Option<f64>, Option<&'static str>, &'static str, Option<&'static str>);

const ROWS: &[Row] = &[
    // percent forms
    ("Usage rose to 30% in August.", "30%", 30.0, None, Some("percent"), "exact", None),
    ("Usage reached 30 percent.", "30 percent", 30.0, None, Some("percent"), "exact", None),
    ("Usage reached 30 per cent.", "30 per cent", 30.0, None, Some("percent"), "exact", None),
    ("Usage reached thirty percent.", "thirty percent", 30.0, None, Some("percent"), "exact", None),
    ("It grew by twenty-five percent.", "twenty-five percent", 25.0, None, Some("percent"), "exact", Some("up")),
    ("Share rose nearly 30 percentage points.", "nearly 30 percentage points", 30.0, None, Some("percentage-point"), "nearly", Some("up")),
    ("Rates rose 25 basis points.", "25 basis points", 25.0, None, Some("basis-point"), "exact", Some("up")),
    // fractions and ratios
    ("About half its revenue comes from the top earners.", "About half", 0.5, None, Some("fraction"), "approx", None),
    ("A third of users left.", "A third", 1.0 / 3.0, None, Some("fraction"), "exact", None),
    ("Two-fifths of firms agree.", "Two-fifths", 0.4, None, Some("fraction"), "exact", None),
    ("Three in ten adults use it.", "Three in ten", 0.3, None, Some("fraction"), "exact", None),
    ("About 1 in 4 adults use chatbots.", "About 1 in 4", 0.25, None, Some("fraction"), "approx", None),
    ("Nine out of 10 firms agree.", "Nine out of 10", 0.9, None, Some("fraction"), "exact", None),
    ("One in five people use it.", "One in five", 0.2, None, Some("fraction"), "exact", None),
    ("More than half of new models are derivatives.", "More than half", 0.5, None, Some("fraction"), "over", None),
    // money
    ("It saves US$400,000 annually.", "US$400,000", 400000.0, None, Some("USD"), "exact", None),
    ("It saves $400K a year.", "$400K", 400000.0, None, Some("USD"), "exact", None),
    ("Revenue hit $1.13bn last year.", "$1.13bn", 1.13e9, None, Some("USD"), "exact", None),
    ("The deal is worth £600m.", "£600m", 6e8, None, Some("GBP"), "exact", None),
    ("It will cost S$123 million.", "S$123 million", 1.23e8, None, Some("SGD"), "exact", None),
    ("Micron pays NT$1.8 billion.", "NT$1.8 billion", 1.8e9, None, Some("TWD"), "exact", None),
    ("Sales were €5 million.", "€5 million", 5e6, None, Some("EUR"), "exact", None),
    ("The fund holds 50 billion yuan.", "50 billion yuan", 5e10, None, Some("CNY"), "exact", None),
    ("Bessent said well over half a trillion.", "well over half a trillion", 5e11, None, None, "over", None),
    ("The budget is nearly US$350 billion.", "nearly US$350 billion", 3.5e11, None, Some("USD"), "nearly", None),
    // counts and measures
    ("Representatives from 13 countries attended.", "13 countries", 13.0, None, Some("country"), "exact", None),
    ("There are 150 companies in China.", "150 companies", 150.0, None, Some("company"), "exact", None),
    ("About 100 humanoid robot companies exist.", "About 100 humanoid robot companies", 100.0, None, Some("company"), "approx", None),
    ("It produces 10,000 tonnes of produce.", "10,000 tonnes", 10000.0, None, Some("tonne"), "exact", None),
    ("A cleanroom of 27,871m2 is included.", "27,871m2", 27871.0, None, Some("square-metre"), "exact", None),
    ("A cleanroom of 27,871 square metres is included.", "27,871 square metres", 27871.0, None, Some("square-metre"), "exact", None),
    ("A dozen firms joined.", "A dozen firms", 12.0, None, Some("firm"), "exact", None),
    ("Has appeared in eight straight World Cups.", "eight straight World Cups", 8.0, None, Some("cup"), "exact", None),
    ("Labour's 301 MPs were 17 short.", "301 MPs", 301.0, None, Some("mp"), "exact", None),
    ("She has won 2 Oscars and 5 Democrats backed her.", "2 Oscars", 2.0, None, Some("oscar"), "exact", None),
    ("She has won 2 Oscars and 5 Democrats backed her.", "5 Democrats", 5.0, None, Some("democrat"), "exact", None),
    ("It bought two Texas refineries.", "two Texas refineries", 2.0, None, Some("refinery"), "exact", None),
    ("He repaired 40 Kia and Hyundai vehicles.", "40 Kia and Hyundai vehicles", 40.0, None, Some("vehicle"), "exact", None),
    ("It applies to firms with more than 300 US shareholders.", "more than 300 US shareholders", 300.0, None, Some("shareholder"), "over", None),
    ("Sales grew at the 49 Next stores.", "49 Next stores", 49.0, None, Some("store"), "exact", None),
    ("In total, 1,307,000 Americans were collecting aid.", "1,307,000 Americans", 1307000.0, None, Some("american"), "exact", None),
    ("They found 12 species of frog.", "12 species", 12.0, None, Some("species"), "exact", None),
    ("They looked at two viruses.", "two viruses", 2.0, None, Some("virus"), "exact", None),
    ("As many as 14 first-team players left.", "As many as 14 first-team players", 14.0, None, Some("player"), "at-most", None),
    ("The defense gave up 517 rushing yards.", "517 rushing yards", 517.0, None, Some("yard"), "exact", None),
    ("It put 30 million shares up for sale.", "30 million shares", 3e7, None, Some("share"), "exact", None),
    // orders of magnitude span a power of ten
    ("Dozens of people were killed.", "Dozens of people", 12.0, Some(120.0), Some("person"), "exact", None),
    ("Thousands of tests were bought.", "Thousands of tests", 1000.0, Some(10000.0), Some("test"), "exact", None),
    ("Tens of thousands of students study there.", "Tens of thousands of students", 10000.0, Some(100000.0), Some("student"), "exact", None),
    ("It is maybe tens of millions of dollars.", "tens of millions of dollars", 1e7, Some(1e8), Some("USD"), "exact", None),
    // rates
    ("The contract was at US $58.24 per barrel.", "US $58.24 per barrel", 58.24, None, Some("USD-per-barrel"), "exact", None),
    ("Spot gold was at $1,271.2 an ounce.", "$1,271.2 an ounce", 1271.2, None, Some("USD-per-ounce"), "exact", None),
    ("It posted a loss of 63 cents per share.", "63 cents per share", 63.0, None, Some("cent-per-share"), "exact", None),
    ("It costs $15 per million tokens.", "$15 per million tokens", 15.0, None, Some("USD-per-million-token"), "exact", None),
    ("Samsung will invest 5 trillion won.", "5 trillion won", 5e12, None, Some("KRW"), "exact", None),
    ("The field pumps 300,000 bpd.", "300,000 bpd", 300000.0, None, Some("barrel-per-day"), "exact", None),
    ("The team won 5 games.", "5 games", 5.0, None, Some("game"), "exact", None),
    ("It leased at a rate of $80 per sq m.", "$80 per sq m", 80.0, None, Some("USD-per-square-metre"), "exact", None),
    ("Seas could rise 11 feet per century.", "11 feet per century", 11.0, None, Some("foot-per-century"), "exact", Some("up")),
    ("It could save 65 lives a year.", "65 lives a year", 65.0, None, Some("life-per-year"), "exact", None),
    ("He had spent 15 years a number of times.", "15 years", 15.0, None, Some("year"), "exact", None),
    ("It hosts one 52,000 barrel-a-day refinery.", "52,000 barrel-a-day", 52000.0, None, Some("barrel-per-day"), "exact", None),
    ("They have a $3500 a month mortgage.", "$3500", 3500.0, None, Some("USD"), "exact", None),
    // wire-copy currencies and symbols after the figure
    ("The package was worth up to PS2.7m.", "up to PS2.7m", 2.7e6, None, Some("GBP"), "at-most", None),
    ("Nintendo fell to Y=28,030.", "Y=28,030", 28030.0, None, Some("JPY"), "exact", None),
    ("Flights should have cost HK $5.4m.", "HK $5.4m", 5.4e6, None, Some("HKD"), "exact", None),
    ("The house was worth $US55,931,000.", "$US55,931,000", 55931000.0, None, Some("USD"), "exact", None),
    ("He bought a notebook for 1,200€.", "1,200€", 1200.0, None, Some("EUR"), "exact", None),
    ("Customers with more than 7.5 million Danish crowns pay.", "more than 7.5 million Danish crowns", 7.5e6, None, Some("DKK"), "over", None),
    ("Heineken rose 18 sen.", "18 sen", 18.0, None, Some("sen"), "exact", Some("up")),
    // measures
    ("It has a 5.2 litre V10 engine.", "5.2 litre", 5.2, None, Some("litre"), "exact", None),
    ("The cells are 0.03 millimeter slim.", "0.03 millimeter", 0.03, None, Some("millimetre"), "exact", None),
    ("The boot stands at 24.5 cubic feet.", "24.5 cubic feet", 24.5, None, Some("cubic-foot"), "exact", None),
    ("The neck is 25.5″ long.", "25.5″", 25.5, None, Some("inch"), "exact", None),
    ("It makes 450 Nm of torque.", "450 Nm", 450.0, None, Some("newton-metre"), "exact", None),
    ("The V8 makes 5.0L of displacement.", "5.0L", 5.0, None, Some("litre"), "exact", None),
    ("The link runs at 100 Mbps.", "100 Mbps", 100.0, None, Some("megabit-per-second"), "exact", None),
    ("Temperatures hit 40°C on Monday.", "40°C", 40.0, None, Some("degree-celsius"), "exact", None),
    ("It was 25° in the shade.", "25°", 25.0, None, Some("degree"), "exact", None),
    ("The deal is worth NIS 5 million.", "NIS 5 million", 5e6, None, Some("ILS"), "exact", None),
    ("It costs 300 Turkish lira.", "300 Turkish lira", 300.0, None, Some("TRY"), "exact", None),
    ("The ticket cost 150 kn, which is pricey.", "150 kn", 150.0, None, Some("HRK"), "exact", None),
    ("Dinner was 45 ₾ for two.", "45 ₾", 45.0, None, Some("GEL"), "exact", None),
    ("Eskom needs R5 billion for repairs.", "R5 billion", 5e9, None, Some("ZAR"), "exact", None),
    ("Rates were cut by 25 bps.", "25 bps", 25.0, None, Some("basis-point"), "exact", Some("down")),
    ("Pressure fell to 980 hPa.", "980 hPa", 980.0, None, Some("hectopascal"), "exact", None),
    ("It is a 352 μm pixel pitch.", "352 μm", 352.0, None, Some("micrometre"), "exact", None),
    ("Nearly two-thirds of the combined 4.3M sales came from CDs.", "4.3M sales", 4.3e6, None, Some("sale"), "exact", None),
    ("He served two and a half years.", "two and a half years", 2.5, None, Some("year"), "exact", None),
    ("It sold one and a half million copies.", "one and a half million copies", 1.5e6, None, Some("copy"), "exact", None),
    ("Sales rose threefold last year.", "threefold", 3.0, None, Some("time"), "exact", Some("up")),
    ("Each sample weighs only ~45g.", "~45g", 45.0, None, Some("gram"), "approx", None),
    ("They built a 10-point lead.", "10-point", 10.0, None, Some("point"), "exact", None),
    ("Kimi K2 is a 1-trillion-parameter model.", "1-trillion-parameter", 1e12, None, Some("parameter"), "exact", None),
    ("OpenAI raised $6.6 billion in October.", "$6.6 billion", 6.6e9, None, Some("USD"), "exact", None),
    ("He has only raised 280 million of the 1.5 billion shekels.", "280 million", 2.8e8, None, Some("ILS"), "exact", None),
    ("The firm raised prices by 5%.", "5%", 5.0, None, Some("percent"), "exact", Some("up")),
    ("It drew 700 million weekly users.", "700 million weekly users", 7e8, None, Some("user"), "exact", None),
    ("It has 400 million monthly active users.", "400 million monthly active users", 4e8, None, Some("user"), "exact", None),
    ("She bought two dozen eggs.", "two dozen eggs", 24.0, None, Some("egg"), "exact", None),
    ("About half a dozen firms bid.", "About half a dozen firms", 6.0, None, Some("firm"), "approx", None),
    ("It is a 70B model trained on 15 trillion tokens.", "70B", 7e10, None, None, "exact", None),
    ("Grok 3 used 100,000 Nvidia H100 GPUs.", "100,000 Nvidia H100 GPUs", 100000.0, None, Some("gpu"), "exact", None),
    ("Only 5 people came.", "5 people", 5.0, None, Some("person"), "exact", None),
    ("A basket of 35 M&S goods is 11% dearer.", "35", 35.0, None, None, "exact", None),
    ("There were 4 hundred million people.", "4 hundred million people", 4e8, None, Some("person"), "exact", None),
    // negative and signed figures
    ("The atmosphere can dip to minus-130 degrees Fahrenheit.", "minus-130 degrees Fahrenheit", -130.0, None, Some("degree-fahrenheit"), "exact", None),
    ("This is about minus 233 Celsius.", "about minus 233 Celsius", -233.0, None, Some("degree-celsius"), "approx", None),
    ("On Wall St: Dow +0.2% and Nasdaq flat.", "+0.2%", 0.2, None, Some("percent"), "exact", Some("up")),
    // a sign is part of the value: hyphen-minus opening a word, U+2212, "negative"
    ("The operating margin was -12 percent in the third quarter.", "-12 percent", -12.0, None, Some("percent"), "exact", None),
    ("The coldest reading was −40 degrees in January.", "−40 degrees", -40.0, None, Some("degree"), "exact", None),
    ("The coldest reading was -40 degrees in January.", "-40 degrees", -40.0, None, Some("degree"), "exact", None),
    ("Its return was negative 3.5 percent last year.", "negative 3.5 percent", -3.5, None, Some("percent"), "exact", None),
    ("Margins were thin (-8%) across the unit.", "-8%", -8.0, None, Some("percent"), "exact", None),
    // one before a noun
    ("One proposal asks the board to stop.", "One proposal", 1.0, None, Some("proposal"), "exact", None),
    ("He pled guilty to one count of wire fraud.", "one count", 1.0, None, Some("count"), "exact", None),
    ("It went in one glorious swoop.", "one glorious swoop", 1.0, None, Some("swoop"), "exact", None),
    // ranges
    ("Fees range from 1 per cent to 1.5 per cent.", "1 per cent to 1.5 per cent", 1.0, Some(1.5), Some("percent"), "exact", None),
    ("Prices are expected to increase between 5% and 6%.", "5% and 6%", 5.0, Some(6.0), Some("percent"), "exact", None),
    ("Savings range from $200,000 to $414 million.", "$200,000 to $414 million", 200000.0, Some(4.14e8), Some("USD"), "exact", None),
    ("Growth will slow from 4.8 to 4.7 percent.", "4.8 to 4.7 percent", 4.7, Some(4.8), Some("percent"), "exact", None),
    ("Over the past three or four years, lenders changed.", "three or four years", 3.0, Some(4.0), Some("year"), "exact", None),
    ("Temperatures dropped by 1 to 1.5 degrees Celsius.", "1 to 1.5 degrees Celsius", 1.0, Some(1.5), Some("degree-celsius"), "exact", Some("down")),
    ("It increased by $43.6 billion to $419.2 billion.", "$43.6 billion", 4.36e10, None, Some("USD"), "exact", Some("up")),
    ("It increased by $43.6 billion to $419.2 billion.", "$419.2 billion", 4.192e11, None, Some("USD"), "exact", None),
    ("Chipmakers will produce sub-7 nanometer chips.", "sub-7 nanometer", 7.0, None, Some("nanometre"), "under", None),
    ("Trade fell to $-50.8bn in April.", "$-50.8bn", -5.08e10, None, Some("USD"), "exact", None),
    ("It cut the false positive rate to .001 per cent.", ".001 per cent", 0.001, None, Some("percent"), "exact", None),
    ("A beetle can go 0 to 80km/h in about 8 seconds.", "0 to 80km/h", 0.0, Some(80.0), Some("kilometre-per-hour"), "exact", None),
    ("He dropped from 208 pounds to 193 by exercising.", "208 pounds", 208.0, None, Some("pound"), "exact", None),
    ("The club was sold for 50 million pounds.", "50 million pounds", 5e7, None, Some("GBP"), "exact", None),
    ("Prices range from $200 to $4 million.", "$200 to $4 million", 200.0, Some(4e6), Some("USD"), "exact", None),
    ("Homes stay an average of 70 days.", "70 days", 70.0, None, Some("day"), "exact", None),
    ("Shares rose after plummeting 65% in 2022.", "65%", 65.0, None, Some("percent"), "exact", Some("down")),
    ("Keytruda's 2018 sales jumped 90 per cent.", "2018", 2018.0, None, Some("date"), "exact", None),
    ("Between 1600 and 1900, temperatures dropped.", "1600 and 1900", 1600.0, Some(1900.0), Some("date"), "exact", None),
    // a conversion in brackets shares the figure's qualifier and direction
    ("Customers with more than 7.5 million Danish crowns (US $1.1 million) pay.", "US $1.1 million", 1.1e6, None, Some("USD"), "over", None),
    ("It makes just under 296 hp (224 kW / 300 PS).", "300 PS", 300.0, None, Some("metric-horsepower"), "under", None),
    ("Temperatures dropped by 1 to 1.5 degrees Celsius (1.8 to 2.7 Fahrenheit).", "1.8 to 2.7 Fahrenheit", 1.8, Some(2.7), Some("degree-fahrenheit"), "exact", Some("down")),
    ("The debris stretched for 7 miles (11 km).", "11 km", 11.0, None, Some("kilometre"), "exact", None),
    // a direction verb a few words before "by"
    ("The brand was expected to grow sales by 35 per cent.", "35 per cent", 35.0, None, Some("percent"), "exact", Some("up")),
    ("Profit was revised upward by 40 billion yen.", "40 billion yen", 4e10, None, Some("JPY"), "exact", Some("up")),
    ("It was the lower 40% of earners.", "40%", 40.0, None, Some("percent"), "exact", None),
    ("Bitcoin plummeted from $36,040 at 10.45pm last night to $34,935 at 5am.", "$36,040", 36040.0, None, Some("USD"), "exact", None),
    ("It climbed from 21 mpg combined to 23 for FWD models.", "21 mpg", 21.0, None, Some("mile-per-gallon"), "exact", None),
    ("Mileage went from 20 miles per gallon in 2008 to 29 mpg in 2020.", "20 miles per gallon", 20.0, None, Some("mile-per-gallon"), "exact", None),
    ("Mileage went from 20 miles per gallon in 2008 to 29 mpg in 2020.", "2008", 2008.0, None, Some("date"), "exact", None),
    ("It went from 5 percent, a record, to 7 percent.", "5 percent", 5.0, None, Some("percent"), "exact", None),
    ("Oil rose by more than $2 to $43.25 a barrel.", "more than $2", 2.0, None, Some("USD"), "over", Some("up")),
    ("Shares rose 5% to 30% of the index.", "5%", 5.0, None, Some("percent"), "exact", Some("up")),
    ("Prices rose 5 to 10 percent.", "5 to 10 percent", 5.0, Some(10.0), Some("percent"), "exact", Some("up")),
    // ranges
    ("It lived 3,800 to 4,300 years ago.", "3,800 to 4,300 years", 3800.0, Some(4300.0), Some("year"), "exact", None),
    ("Margins were 13-14% last year.", "13-14%", 13.0, Some(14.0), Some("percent"), "exact", None),
    ("It costs between 10 and 20 dollars.", "10 and 20 dollars", 10.0, Some(20.0), Some("USD"), "exact", None),
    // years
    ("Its 2005 model years were recalled.", "2005", 2005.0, None, Some("date"), "exact", None),
    ("It had been VAT-exempt since 1993.", "1993", 1993.0, None, Some("date"), "exact", None),
    // qualifiers
    ("Nearly 30 percent use it.", "Nearly 30 percent", 30.0, None, Some("percent"), "nearly", None),
    // A paragraph under a heading that ends without a full stop opens a sentence (regression:
    // "Nearly 70 AI leaders" there was read as a name and a model number).
    ("The regulation fight\n\nNearly 70 AI leaders signed.", "Nearly 70 AI leaders", 70.0, None, Some("leader"), "nearly", None),
    ("Title here\n\nAbout 30 percent use it.", "About 30 percent", 30.0, None, Some("percent"), "approx", None),
    ("Almost 30 percent use it.", "Almost 30 percent", 30.0, None, Some("percent"), "nearly", None),
    // "just under" is a ceiling, like "less than" (regression: it was read as "nearly")
    ("Just under 30 percent use it.", "Just under 30 percent", 30.0, None, Some("percent"), "under", None),
    ("It accounts for just below 20 percent.", "just below 20 percent", 20.0, None, Some("percent"), "under", None),
    ("It makes just under 296 hp (224 kW / 300 PS).", "224 kW", 224.0, None, Some("kilowatt"), "under", None),
    ("Close to 30 percent use it.", "Close to 30 percent", 30.0, None, Some("percent"), "nearly", None),
    ("Around 30 percent use it.", "Around 30 percent", 30.0, None, Some("percent"), "approx", None),
    ("Roughly 30 percent use it.", "Roughly 30 percent", 30.0, None, Some("percent"), "approx", None),
    ("Some 30 percent use it.", "Some 30 percent", 30.0, None, Some("percent"), "approx", None),
    ("It used ~30 percent.", "~30 percent", 30.0, None, Some("percent"), "approx", None),
    ("Over 40% of models.", "Over 40%", 40.0, None, Some("percent"), "over", None),
    ("Upwards of 40% of models.", "Upwards of 40%", 40.0, None, Some("percent"), "over", None),
    ("At least 40% of models.", "At least 40%", 40.0, None, Some("percent"), "at-least", None),
    ("Fewer than 40 companies.", "Fewer than 40 companies", 40.0, None, Some("company"), "under", None),
    ("Below 40% of models.", "Below 40%", 40.0, None, Some("percent"), "under", None),
    ("Up to 40% of models.", "Up to 40%", 40.0, None, Some("percent"), "at-most", None),
    ("No more than 40% of models.", "No more than 40%", 40.0, None, Some("percent"), "at-most", None),
    ("It has over than 60% of the Fortune 100.", "over than 60%", 60.0, None, Some("percent"), "over", None),
    ("Unite Group was down 68 p at 1112 p.", "68 p", 68.0, None, Some("penny"), "exact", Some("down")),
    ("In 2021 most people worked from home.", "2021", 2021.0, None, Some("date"), "exact", None),
    // a decimal before "second" is a time, not an ordinal
    ("He runs a 4.3 second 40-yard dash.", "4.3 second", 4.3, None, Some("second"), "exact", None),
    // a fraction of one measure is an amount in that measure
    ("A fluid ounce is 1/16 of a US pint.", "1/16 of a US pint", 0.0625, None, Some("pint"), "exact", None),
    ("It is 1⁄32 of a US quart.", "1⁄32 of a US quart", 0.03125, None, Some("quart"), "exact", None),
    ("A third of a mile of road was closed.", "A third of a mile", 1.0 / 3.0, None, Some("mile"), "exact", None),
    ("A third of the staff left.", "A third", 1.0 / 3.0, None, Some("fraction"), "exact", None),
    // compounds in -men are plurals
    ("About 60 commercial fishermen work there.", "About 60 commercial fishermen", 60.0, None, Some("fisherman"), "approx", None),
    ("Police say 12 gunmen attacked.", "12 gunmen", 12.0, None, Some("gunman"), "exact", None),
    // a hyphenated modifier names what the figure counts, also across suspended hyphens
    ("It offers four-, five- and six-cylinder engines.", "four-", 4.0, None, Some("cylinder"), "exact", None),
    ("It offers four-, five- and six-cylinder engines.", "five-", 5.0, None, Some("cylinder"), "exact", None),
    ("It offers four-, five- and six-cylinder engines.", "six-cylinder", 6.0, None, Some("cylinder"), "exact", None),
    ("They offer 10-, 20- and 30-year bonds.", "10-", 10.0, None, Some("year"), "exact", None),
    ("A 30-member team won.", "30-member", 30.0, None, Some("member"), "exact", None),
    // an age set off by commas after a name
    ("Maddon, 66, has used the downtime.", "66", 66.0, None, Some("year-of-age"), "exact", None),
    // the end of a change may leave out the unit of its start
    ("He dropped from 208 pounds to 193 by exercising.", "193", 193.0, None, Some("pound"), "exact", None),
    ("It climbed from 21 mpg combined to 23 for FWD models.", "23", 23.0, None, Some("mile-per-gallon"), "exact", None),
    ("Gas was up 10.4 cents to US $2.24 per mmBTU.", "US $2.24 per mmBTU", 2.24, None, Some("USD-per-mega-british-thermal-unit"), "exact", None),
    // a part of a whole takes the whole's unit
    ("Only 3 of the 10 members voted.", "3", 3.0, None, Some("member"), "exact", None),
    // a clause without its verb keeps the direction of the figure before it
    ("Shares of Ross were down 2.3%, Burlington by 2.6% and Gap was flat.", "2.6%", 2.6, None, Some("percent"), "exact", Some("down")),
    ("The Nasdaq rose 1%, the Dow by 0.5%.", "0.5%", 0.5, None, Some("percent"), "exact", Some("up")),
    ("Revenue fell 5%, helped by 3% inflation.", "3%", 3.0, None, Some("percent"), "exact", None),
    // direction
    ("Spending was 82 percent lower than US peers.", "82 percent lower", 82.0, None, Some("percent"), "exact", Some("down")),
    ("Spending was 82 percent higher than US peers.", "82 percent higher", 82.0, None, Some("percent"), "exact", Some("up")),
    ("Sales fell by 5% last year.", "5%", 5.0, None, Some("percent"), "exact", Some("down")),
    ("Shares were up nearly 57% this year.", "nearly 57%", 57.0, None, Some("percent"), "nearly", Some("up")),
];

/// Sentences in which nothing is a statistic.
const NOTHING: &[&str] = &[
    "The latest version of the Kimi K2 model launched.",
    "DeepSeek's R1 model defied expectations.",
    "GPT-4o and Qwen3-235B are large models.",
    "Meta released Llama 3.1 in July.",
    "The newsletter goes out at 9 a.m. on Thursdays.",
    "The meeting starts at 10:30.",
    "See page 5 and section 3 for details.",
    "Read https://example.com/share-30-percent for details.",
    "Data compiled through Nov. 25 implies a shortfall.",
    "One American entrepreneur spoke on condition of anonymity.",
    "The first half of the year was slow.",
    "It closes in the second quarter.",
    "The iPhone 11 has just arrived.",
    "The debut of Boeing's own 787 Dreamliner was marred by fires.",
    "The house at 575 Wilbraham Road is for sale.",
    "His layup tied Game 7 at 89-89.",
    "The PS5 sold out again.",
    "Its 5G network is fast.",
    "The 10-K filing was late.",
    "The BMW 3 Series and the iPhone 11 Pro cameras impressed.",
    "Ireland's Six Nations ambitions are alive.",
    "They came back from 15-6 down to win.",
    "He faces a curfew between 2200 and 0700.",
    "It streams 4K and 8K video at 1080p.",
    "Run pip install torch==2.3 first.",
    "The Civic Type R 2.0 engine is loud.",
    "DeepSeek R1.5 may follow the R2 model.",
    "Claude 3.5 Sonnet scored well.",
    "Grok 3 used far more compute.",
    "Home furnishings store Pier 1 Imports saw sales fall.",
    "Meta released Llama 3.1 405B and Llama 3 70B, then Qwen2.5 72B and Mistral 7B.",
    "No one expected it, and one day they will.",
    "The mass is 1.99×10−30 kilograms.",
    "The suit was tailored for one itself.",
    "One bought it, and one like him sold.",
    "Major moved into 10 Downing Street.",
    "The Firefox 1.0 web browser was released.",
    "The COVID-19 wave and GPT-4 arrived together.",
    "Tests for COVID -19 were scarce.",
];

#[test]
fn extraction_table() {
    let mut failures = Vec::new();
    for (sentence, text, value, high, unit, bound, direction) in ROWS {
        let found = extract(sentence);
        let hit = found.iter().find(|q| q.span.slice(sentence) == *text);
        match hit {
            None => failures.push(format!(
                "{sentence:?}: no quantity {text:?}; found {:?}",
                found.iter().map(|q| q.span.slice(sentence)).collect::<Vec<_>>()
            )),
            Some(q) => {
                let ok = (q.value - value).abs() <= 1e-9 * value.abs().max(1.0)
                    && q.high == *high
                    && q.unit.name().as_deref() == *unit
                    && q.bound.name() == *bound
                    && q.direction.map(|d| if d == Direction::Up { "up" } else { "down" }) == *direction;
                if !ok {
                    failures.push(format!(
                        "{sentence:?}: {text:?} read as value {} high {:?} unit {:?} bound {} direction {:?}",
                        q.value, q.high, q.unit.name(), q.bound.name(), q.direction
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn non_statistics_are_skipped() {
    let mut failures = Vec::new();
    for sentence in NOTHING {
        let found: Vec<&str> = extract(sentence).iter().filter(|q| q.unit != Unit::Date).map(|q| q.span.slice(sentence)).collect();
        if !found.is_empty() {
            failures.push(format!("{sentence:?}: {found:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn from_to_is_two_figures_sharing_a_unit() {
    let text = "Use surged from just 1.2 percent late last year to nearly 30 percent in August.";
    let found = extract(text);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].span.slice(text), "1.2 percent");
    assert_eq!(found[1].span.slice(text), "nearly 30 percent");
    assert_eq!(found[1].bound, Bound::Nearly);
    let years = "Capex from 2023 to 2025 was 82 percent lower.";
    let found = extract(years);
    assert_eq!(found.iter().filter(|q| q.unit == Unit::Date).count(), 2);
}

/// Odd mixes of numbers, symbols and letters whose lower case has another length ('K', 'İ')
/// must never make the parser slice inside a character.
#[test]
fn random_text_never_panics() {
    let pieces = ["5", "1,200", ".", "-", "−", "+", "$", "US $", "PS", "Y=", "€", "″", "°", "/", "⁄", "×", " ", "  ", "minus", "sub-", "per", "a", "an", "one", "half", "to", "and", "or", "from", "between", "by", "K", "İ", "ß", "é", "%", "km", "h", "m", "M", "bn", "million", "hundred", "tens of", "thousands", "of", "people", "MPs", "(", ")", "\n", "1.", "two", "-thirds", "rose", "up", "cent", "share", "barrel", "day", "year", "old", "µm", "Nm", "a.m.", "2019", "1600", "₹", "\u{212A}", "\u{212A}g", "İm", "Ⅻ", "percent", "per cent", "\u{212A}m/h"];
    let mut seed: u64 = 987654321;
    for _ in 0..6000 {
        let mut s = String::new();
        let n = (seed % 30) as usize + 1;
        for _ in 0..n {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            s.push_str(pieces[((seed >> 33) as usize) % pieces.len()]);
            if seed & 1 == 0 { s.push(' '); }
        }
        let _ = extract(&s);
    }
}

#[test]
fn a_change_from_one_figure_to_another_is_two_figures() {
    // Regression: "climbed from X ... to Y" was read as the range X-Y, hiding Y from the checker.
    for text in [
        "Use climbed from 1.2 percent late last year to 30 percent in August.",
        "Shares rose from 5% to 6%.",
        "Sales fell from $3 billion to $2 billion.",
    ] {
        let found = extract(text);
        assert!(found.iter().all(|q| q.high.is_none()), "{text}: {:?}", found.iter().map(|q| q.span.slice(text)).collect::<Vec<_>>());
        assert_eq!(found.len(), 2, "{text}");
    }
}

/// Regression (issue 12): an invisible character inside a figure cut it short ("US$4" of
/// "US$4\u{200b} million") or hid it ("NT$\u{200b}1.8 billion").
#[test]
fn figures_are_read_through_invisible_characters() {
    for invisible in ["\u{200b}", "\u{200c}", "\u{200d}", "\u{2060}", "\u{ad}", "\u{feff}", "\u{200e}"] {
        let text = format!("It saves US${invisible}4{invisible} million a year, {invisible}1{invisible},200 people say.");
        let found = extract(&text);
        let figures: Vec<(&str, f64)> = found.iter().map(|q| (q.span.slice(&text), q.value)).collect();
        assert_eq!(
            figures,
            vec![(format!("US${invisible}4{invisible} million").as_str(), 4e6), (format!("1{invisible},200 people").as_str(), 1200.0)],
            "{invisible:?}"
        );
        assert_eq!(found[0].number_span.slice(&text), format!("4{invisible} million"), "{invisible:?}");
    }
}

#[test]
fn a_count_names_what_it_counts_with_the_words_that_narrow_it() {
    let cases = [
        ("Seven European countries signed.", Some("european country")),
        ("As many as 14 first-team players left.", Some("first-team player")),
        ("Dozens of Kia and Hyundai vehicles were recalled.", Some("kia hyundai vehicle")),
        ("It has 300 employees.", Some("employee")),
        ("Usage rose to 30% in August.", None),
    ];
    for (text, counted) in cases {
        let found = extract(text);
        assert_eq!(found.first().and_then(|q| q.counted(text)).as_deref(), counted, "{text}");
    }
}

#[test]
fn years_old_are_an_age_not_a_span_of_time() {
    for text in ["A 50-year-old man pled guilty.", "The skull is 2,900 years old."] {
        let found = extract(text);
        assert_eq!(found[0].unit, Unit::Measure("year-of-age".into()), "{text}");
    }
    let found = extract("The contract runs for 50 years.");
    assert_ne!(found[0].unit, Unit::Measure("year-of-age".into()));
}

#[test]
fn look_alikes_of_the_new_unit_rules_have_no_unit() {
    // (sentence, figure text): neither an age, a counted compound nor a change's end.
    let cases = [
        ("Sales were strong in Texas, 12, Ohio, 9, and Utah, 4.", "12"),
        ("In June, 45, not 50, applied.", "45"),
        ("They named a 30-strong squad.", "30"),
        ("It was a three-way race.", "three"),
        ("Prices went from 5% in May, then to 6 in June.", "6"),
        ("Only 30 of the 25 members came.", "30"),
    ];
    for (text, figure) in cases {
        let found = extract(text);
        let q = found.iter().find(|q| q.number_span.slice(text) == figure);
        assert!(q.is_some_and(|q| q.unit == Unit::None), "{text}: {:?}", q.map(|q| (&q.unit, q.span.slice(text))));
    }
}

#[test]
fn man_compounds_are_plural_but_words_ending_in_men_need_not_be() {
    for (word, plural, singular_form) in [
        ("fishermen", true, "fisherman"),
        ("congresswomen", true, "congresswoman"),
        ("specimen", false, "specimen"),
        ("regimen", false, "regimen"),
    ] {
        assert_eq!(is_plural(word), plural, "{word}");
        if plural {
            assert_eq!(singular(word), singular_form, "{word}");
        }
    }
}

#[test]
fn a_range_is_split_at_its_joint_into_its_two_ends() {
    // (sentence, low end, high end)
    let rows: &[(&str, &str, &str)] = &[
        ("Sales will grow by 4-7% next year.", "4", "7%"),
        ("Sales will be $1.5 billion to $1.6 billion.", "$1.5 billion", "$1.6 billion"),
        ("Revenue of between $11,000 million and $11,350 million is expected.", "$11,000 million", "$11,350 million"),
        ("Deliveries of 2,400 to 2,600 units are planned.", "2,400", "2,600 units"),
        ("It costs US$1.5bn–US$1.6bn.", "US$1.5bn", "US$1.6bn"),
        ("Growth of 3% to 5% is the target.", "3%", "5%"),
    ];
    for (sentence, low, high) in rows {
        let q = extract(sentence).into_iter().find(|q| q.high.is_some()).unwrap_or_else(|| panic!("no range in {sentence:?}"));
        let (l, h) = q.range_ends(sentence).unwrap_or_else(|| panic!("no ends in {sentence:?}"));
        assert_eq!((l.slice(sentence), h.slice(sentence)), (*low, *high), "{sentence}");
    }
    let single = extract("Sales were $441 million.");
    assert_eq!(single[0].range_ends("Sales were $441 million."), None);
}

#[test]
fn digit_ordinals_are_ranks_and_dates_centuries_and_quarters_are_not() {
    let ranks: &[(&str, &str, f64)] = &[
        ("ChatGPT scored in the 31st percentile of the Biology Olympiad.", "31st", 31.0),
        ("The model ranked 13th among 40 systems.", "13th", 13.0),
        ("It finished 2nd, behind Gemini.", "2nd", 2.0),
        ("It came 103rd of 120 in the index.", "103rd", 103.0),
        // An ordinal once left out as no statistic: a rank compares as a number (issue 13).
        ("It was his 3rd attempt in the 1990s.", "3rd", 3.0),
    ];
    for (text, written, value) in ranks {
        let q = extract(text).into_iter().find(|q| q.span.slice(text) == *written).unwrap_or_else(|| panic!("{written} in {text}"));
        assert_eq!((q.value, q.unit.name().as_deref()), (*value, Some("ordinal")), "{text}");
    }
    for text in [
        "The 21st century began.",
        "A 21st-century problem.",
        "On May 5th, it launched.",
        "It launched on the 5th of May.",
        "Sales rose in the 3rd quarter.",
        "A 96th-minute winner.",
        "Properties including 9 E 71st St, Manhattan.",
        "The 31th place is not an ordinal spelling.",
        "Model A31st is an identifier.",
    ] {
        assert!(extract(text).iter().all(|q| q.unit.name().as_deref() != Some("ordinal")), "{text}: {:?}", extract(text));
    }
}

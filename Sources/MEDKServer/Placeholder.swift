import Hummingbird
import MEDKCore
